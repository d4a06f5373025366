package dev.kiln.gateway.auth;

import dev.kiln.gateway.http.ErrorResponses;
import dev.kiln.gateway.refusal.Forbidden;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.Unauthenticated;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * Spring Security's three ways of saying no, each answered with HopX's error body and {@code X-Request-ID} through
 * {@link ErrorResponses}: no valid key (401), a key that may not do this (403), a request the firewall rejects (400).
 */
public final class SecurityRefusals implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {
  private final ErrorResponses errors;

  public SecurityRefusals(ErrorResponses errors) {
    this.errors = errors;
  }

  /** Reached only without a valid key, so a key on the request here is one Kiln does not know. */
  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    Unauthenticated refusal = ApiKeyFilter.presentedKey(request).isPresent()
        ? new Unauthenticated("invalid API key", true)
        : new Unauthenticated("API key required: send Authorization: Bearer <key> or X-API-Key", false);
    errors.write(request, response, refusal);
  }

  /** The admin API's entry point: only the admin token opens it. */
  public AuthenticationEntryPoint admin() {
    return (request, response, e) -> errors.write(request, response, new Unauthenticated(
        "admin token required: send Authorization: Bearer <KILN_ADMIN_TOKEN>",
        ApiKeyFilter.presentedKey(request).isPresent()));
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    errors.write(request, response, new Forbidden("this API key may not do that"));
  }

  /** Path parameters ({@code ;}), encoded slashes or dots, {@code //}, odd methods or header bytes. */
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
      throws IOException {
    errors.write(request, response, InvalidRequest.firewall(e.getMessage()));
  }
}
