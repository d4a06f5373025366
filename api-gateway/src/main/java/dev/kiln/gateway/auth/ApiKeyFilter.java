package dev.kiln.gateway.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring Security's API key authentication: a key sent as {@code Authorization: Bearer} or {@code X-API-Key} (the
 * official clients use both) that {@link KeyResolver} knows (configured or issued) authenticates the request as its organization. It never
 * refuses by itself: authorization decides whether a route needs a key, and the entry point answers a request
 * without a valid one, so a public route stays public whatever headers it carries.
 */
public class ApiKeyFilter extends OncePerRequestFilter {
  private static final String ORGANIZATION = ApiKeyFilter.class.getName() + ".organization";
  private final KeyResolver keys;
  private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

  public ApiKeyFilter(KeyResolver keys) {
    this.keys = keys;
  }

  /**
   * The organization of the authenticated caller, null when unauthenticated. Kept on the request, not only in the
   * security context, so async dispatches and filters after Spring Security's chain read it the same way.
   */
  public static String organizationOf(HttpServletRequest request) {
    return (String) request.getAttribute(ORGANIZATION);
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    presentedKey(request).flatMap(keys::organizationOf).ifPresent(organization -> authenticate(request, organization));
    chain.doFilter(request, response);
  }

  private void authenticate(HttpServletRequest request, String organization) {
    SecurityContext context = contexts.createEmptyContext();
    context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(organization, null, List.of()));
    contexts.setContext(context);
    request.setAttribute(ORGANIZATION, organization);
  }

  /** The key the request carries, valid or not. */
  static Optional<String> presentedKey(HttpServletRequest request) {
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
