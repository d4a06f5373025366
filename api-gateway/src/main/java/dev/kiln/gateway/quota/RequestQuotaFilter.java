package dev.kiln.gateway.quota;

import dev.kiln.gateway.auth.ApiKeyFilter;
import dev.kiln.gateway.http.ErrorResponses;
import dev.kiln.gateway.refusal.RateLimited;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Counts each authenticated request against its organization's {@link RequestQuota}, answers 429 once it is
 * spent, and reports the organization's standing in {@code X-RateLimit-Limit}, {@code -Remaining} and
 * {@code -Reset} (Unix seconds) on every response, as HopX does. Runs after authentication: a request without a
 * valid key costs nobody's budget.
 */
public final class RequestQuotaFilter extends OncePerRequestFilter {
  private final RequestQuota quota;
  private final ErrorResponses errors;

  public RequestQuotaFilter(RequestQuota quota, ErrorResponses errors) {
    this.quota = quota;
    this.errors = errors;
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return ApiKeyFilter.organizationOf(request) == null;
  }

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    RateLimitStatus status = quota.take(ApiKeyFilter.organizationOf(request), isRead(request));
    if (status.limit() == 0) {
      chain.doFilter(request, response);
      return;
    }
    response.setHeader("X-RateLimit-Limit", String.valueOf(status.limit()));
    response.setHeader("X-RateLimit-Remaining", String.valueOf(status.remaining()));
    response.setHeader("X-RateLimit-Reset", String.valueOf(status.resetEpochSeconds()));
    if (!status.taken()) {
      errors.write(request, response, new RateLimited(
          "Rate limit exceeded: " + status.limit() + " requests per minute", Math.max(1, status.retryAfterSeconds())));
      return;
    }
    chain.doFilter(request, response);
  }

  private static boolean isRead(HttpServletRequest request) {
    return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
  }
}
