package dev.kiln.gateway.auth;

import dev.kiln.gateway.http.ErrorBody;
import dev.kiln.gateway.http.RequestIds;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;
import org.springframework.http.MediaType;
import tools.jackson.databind.json.JsonMapper;

/**
 * Authenticates every {@code /v1} request by {@code Authorization: Bearer} or {@code X-API-Key} (the official
 * clients use both) and records the caller's organization on the request.
 */
public class ApiKeyFilter extends org.springframework.web.filter.OncePerRequestFilter {
  private static final String ORGANIZATION = ApiKeyFilter.class.getName() + ".organization";
  private final ApiKeys keys;
  private final JsonMapper json;

  public ApiKeyFilter(ApiKeys keys, JsonMapper json) {
    this.keys = keys;
    this.json = json;
  }

  /** The organization of the authenticated caller. */
  public static String organizationOf(HttpServletRequest request) {
    return (String) request.getAttribute(ORGANIZATION);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/v1/");
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> key = presentedKey(request);
    if (key.isEmpty()) {
      refuse(request, response, "AUTHENTICATION_REQUIRED", "API key required: send Authorization: Bearer <key> or X-API-Key");
      return;
    }
    Optional<String> organization = keys.organizationOf(key.get());
    if (organization.isEmpty()) {
      refuse(request, response, "INVALID_TOKEN", "invalid API key");
      return;
    }
    request.setAttribute(ORGANIZATION, organization.get());
    chain.doFilter(request, response);
  }

  private static Optional<String> presentedKey(HttpServletRequest request) {
    String authorization = request.getHeader("Authorization");
    if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
      String token = authorization.substring(7).trim();
      if (!token.isEmpty()) {
        return Optional.of(token);
      }
    }
    String apiKey = request.getHeader("X-API-Key");
    return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
  }

  private void refuse(HttpServletRequest request, HttpServletResponse response, String code, String message)
      throws IOException {
    response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    response.setHeader("WWW-Authenticate", "Bearer");
    json.writeValue(response.getOutputStream(), ErrorBody.of(code, message, RequestIds.of(request)));
  }
}
