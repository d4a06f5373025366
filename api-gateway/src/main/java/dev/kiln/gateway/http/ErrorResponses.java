package dev.kiln.gateway.http;

import dev.kiln.gateway.refusal.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/** Writes a refusal as HopX's error body from code outside Spring MVC (servlet filters, Spring Security). */
public final class ErrorResponses {
  private final JsonMapper json;

  public ErrorResponses(JsonMapper json) {
    this.json = json;
  }

  public void write(HttpServletRequest request, HttpServletResponse response, Refusal refusal) throws IOException {
    if (response.isCommitted()) {
      return;
    }
    HttpStatuses.Answer answer = HttpStatuses.of(refusal, RequestIds.of(request));
    response.setStatus(answer.status().value());
    response.setHeader(RequestIds.HEADER, RequestIds.of(request));
    if (answer.retryAfterSeconds() != null) {
      response.setHeader("Retry-After", String.valueOf(answer.retryAfterSeconds()));
    }
    if (answer.status().value() == HttpServletResponse.SC_UNAUTHORIZED) {
      response.setHeader("WWW-Authenticate", "Bearer");
    }
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), answer.body());
  }
}
