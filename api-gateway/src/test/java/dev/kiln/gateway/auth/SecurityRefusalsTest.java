package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.http.ErrorResponses;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.web.firewall.RequestRejectedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Each of Spring Security's refusals answers its status with HopX's body and the request id in the header. */
class SecurityRefusalsTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final SecurityRefusals refusals = new SecurityRefusals(new ErrorResponses(JSON));
  private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/v1;a/templates");
  private final MockHttpServletResponse response = new MockHttpServletResponse();

  @Test
  void requestRejected_is400InvalidRequest_withRequestId() throws Exception {
    refusals.handle(request, response, new RequestRejectedException("the URL contained \";\""));

    assertHopxBody(400, "INVALID_REQUEST");
    assertThat(body().get("message").asString()).isEqualTo("request rejected: the URL contained \";\"");
  }

  @Test
  void aRejectedHeaderValue_isNeverRepeatedBack() throws Exception {
    refusals.handle(request, response, new RequestRejectedException(
        "The request was rejected because the header: \"Authorization \" has a value \"Bearer\tkiln_live_secret\" that is not allowed."));

    assertHopxBody(400, "INVALID_REQUEST");
    assertThat(response.getContentAsString()).doesNotContain("kiln_live_secret");
  }

  @Test
  void entryPoint_withoutAKey_is401AuthenticationRequired() throws Exception {
    refusals.commence(request, response, new InsufficientAuthenticationException("anonymous"));

    assertHopxBody(401, "AUTHENTICATION_REQUIRED");
    assertThat(response.getHeader("WWW-Authenticate")).isEqualTo("Bearer");
  }

  @Test
  void entryPoint_withAnUnknownKey_is401InvalidToken() throws Exception {
    request.addHeader("X-API-Key", "unknown");

    refusals.commence(request, response, new InsufficientAuthenticationException("anonymous"));

    assertHopxBody(401, "INVALID_TOKEN");
  }

  @Test
  void accessDenied_is403Forbidden() throws Exception {
    refusals.handle(request, response, new AccessDeniedException("denied"));

    assertHopxBody(403, "FORBIDDEN");
  }

  private void assertHopxBody(int status, String code) throws Exception {
    assertThat(response.getStatus()).isEqualTo(status);
    assertThat(response.getContentType()).isEqualTo("application/json");
    JsonNode body = body();
    assertThat(body.propertyNames()).containsExactlyInAnyOrder("error", "code", "message", "request_id");
    assertThat(body.get("code").asString()).isEqualTo(code);
    assertThat(response.getHeader("X-Request-ID")).startsWith("req_").isEqualTo(body.get("request_id").asString());
  }

  private JsonNode body() throws Exception {
    return JSON.readTree(response.getContentAsString());
  }
}
