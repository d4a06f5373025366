package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.mock.web.MockHttpServletRequest;

/** The allow list, decided on the path the router uses: probes by GET or HEAD and the signed upload PUT only. */
class PublicRoutesTest {

  @ParameterizedTest
  @CsvSource({
      "GET, /health, true", "HEAD, /livez, true", "GET, /readyz, true", "POST, /readyz, false",
      "GET, /actuator/health/readiness, true", "GET, /actuator/prometheus, false", "GET, /actuator/env, false",
      "PUT, /uploads/org-a/abc, true", "GET, /uploads/org-a/abc, false", "GET, /readyz/x, false",
      "GET, /v1/templates, false"})
  void isPublic_byMethodAndPath(String method, String path, boolean expected) {
    MockHttpServletRequest request = new MockHttpServletRequest(method, path);

    assertThat(PublicRoutes.isPublic(request)).isEqualTo(expected);
  }
}
