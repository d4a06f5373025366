package dev.kiln.gateway.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates the admin API's callers by the admin token ({@code Authorization: Bearer}), compared in constant
 * time. With no token configured nobody is an admin. Like {@link ApiKeyFilter} it never refuses by itself.
 */
public final class AdminTokenFilter extends OncePerRequestFilter {
  /** The actor audit records name for the admin token. */
  public static final String ACTOR = "admin-token";
  private final Optional<String> token;

  public AdminTokenFilter(Optional<String> token) {
    this.token = token;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    Optional<String> presented = ApiKeyFilter.presentedKey(request);
    if (token.isPresent() && presented.isPresent() && KeyDigests.sameSecret(presented.get(), token.get())) {
      SecurityContext context = SecurityContextHolder.getContextHolderStrategy().createEmptyContext();
      context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(ACTOR, null,
          List.of(new SimpleGrantedAuthority("ROLE_ADMIN"))));
      SecurityContextHolder.getContextHolderStrategy().setContext(context);
    }
    chain.doFilter(request, response);
  }
}
