package dev.kiln.gateway.auth;

import dev.kiln.gateway.http.ErrorResponses;
import dev.kiln.gateway.refusal.Unauthenticated;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Optional;

/**
 * Authenticates every request outside {@link PublicRoutes}' allow list by {@code Authorization: Bearer} or
 * {@code X-API-Key} (the official clients use both) and records the caller's organization on the request. It fails
 * closed: a route nobody listed needs a key, so a new endpoint or an odd spelling of an old one is never open.
 */
public class ApiKeyFilter extends org.springframework.web.filter.OncePerRequestFilter {
  private static final String ORGANIZATION = ApiKeyFilter.class.getName() + ".organization";
  private final ApiKeys keys;
  private final ErrorResponses errors;

  public ApiKeyFilter(ApiKeys keys, ErrorResponses errors) {
    this.keys = keys;
    this.errors = errors;
  }

  /** The organization of the authenticated caller. */
  public static String organizationOf(HttpServletRequest request) {
    return (String) request.getAttribute(ORGANIZATION);
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return PublicRoutes.isPublic(request);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> key = presentedKey(request);
    if (key.isEmpty()) {
      errors.write(request, response,
          new Unauthenticated("API key required: send Authorization: Bearer <key> or X-API-Key", false));
      return;
    }
    Optional<String> organization = keys.organizationOf(key.get());
    if (organization.isEmpty()) {
      errors.write(request, response, new Unauthenticated("invalid API key", true));
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
}
