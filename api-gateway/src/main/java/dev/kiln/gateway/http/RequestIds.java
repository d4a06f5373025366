package dev.kiln.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import java.security.SecureRandom;
import java.util.HexFormat;

/** Creates and finds the {@code req_…} id that every response carries in {@code X-Request-ID}. */
public final class RequestIds {
  public static final String HEADER = "X-Request-ID";
  private static final String ATTRIBUTE = RequestIds.class.getName();
  private static final SecureRandom RANDOM = new SecureRandom();

  private RequestIds() {}

  static String assign(HttpServletRequest request) {
    byte[] bytes = new byte[12];
    RANDOM.nextBytes(bytes);
    String id = "req_" + HexFormat.of().formatHex(bytes);
    request.setAttribute(ATTRIBUTE, id);
    return id;
  }

  /** The id assigned to {@code request} by {@link RequestIdFilter}. */
  public static String of(HttpServletRequest request) {
    Object id = request.getAttribute(ATTRIBUTE);
    return id == null ? assign(request) : id.toString();
  }
}
