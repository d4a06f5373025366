package dev.kiln.gateway.auth;

import jakarta.servlet.http.HttpServletRequest;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.util.UrlPathHelper;

/**
 * The explicit allow list of routes that need no API key; every other request needs one. Decided on the decoded,
 * normalized path (path parameters removed), the same path Spring's router matches, so no spelling of a protected
 * route ({@code /v1;a/…}, {@code /%761/…}) falls outside the check.
 */
public final class PublicRoutes {
  /** Liveness and readiness, on the main port ({@code /livez}, {@code /readyz}) and the management port. */
  private static final Set<String> PROBES = Set.of("/health", "/livez", "/readyz", "/actuator/health",
      "/actuator/health/liveness", "/actuator/health/readiness");
  /** The signed upload PUT: its signature is its credential. */
  private static final Pattern UPLOAD = Pattern.compile("/uploads/[^/]+/[^/]+");
  private static final UrlPathHelper PATHS = new UrlPathHelper();

  static {
    PATHS.setUrlDecode(true);
    PATHS.setRemoveSemicolonContent(true);
  }

  private PublicRoutes() {}

  /** Whether {@code request} may be answered without a key. */
  public static boolean isPublic(HttpServletRequest request) {
    String path = normalizedPath(request);
    if (PROBES.contains(path)) {
      return "GET".equals(request.getMethod()) || "HEAD".equals(request.getMethod());
    }
    return isSignedUpload(request);
  }

  /** The signed upload PUT, by the path the router uses: it has the archive limits, not the body limit. */
  public static boolean isSignedUpload(HttpServletRequest request) {
    return "PUT".equals(request.getMethod()) && UPLOAD.matcher(normalizedPath(request)).matches();
  }

  /** The admin API ({@code /admin/…}): its own chain, authenticated by the admin token only. */
  public static boolean isAdmin(HttpServletRequest request) {
    String path = normalizedPath(request);
    return path.equals("/admin") || path.startsWith("/admin/");
  }

  static String normalizedPath(HttpServletRequest request) {
    return PATHS.getPathWithinApplication(request);
  }
}
