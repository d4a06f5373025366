package dev.kiln.gateway.http;

import dev.kiln.gateway.refusal.Conflict;
import dev.kiln.gateway.refusal.Forbidden;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.refusal.RateLimited;
import dev.kiln.gateway.refusal.Refusal;
import dev.kiln.gateway.refusal.TooLarge;
import dev.kiln.gateway.refusal.Unauthenticated;
import dev.kiln.gateway.refusal.Unavailable;
import org.springframework.http.HttpStatus;

/**
 * The one place where a refusal becomes an HTTP status, a HopX error code and a {@code Retry-After}: the exception
 * handler and the servlet filters (authentication, body size, quotas) all answer through it.
 */
public final class HttpStatuses {
  /** How long a client should wait when the fleet or Kafka cannot take a request now. */
  public static final long RETRY_AFTER_UNAVAILABLE_SECONDS = 5;

  private HttpStatuses() {}

  /** What a refusal answers: status, body and, when the client should come back later, after how long. */
  public record Answer(HttpStatus status, ErrorBody body, Long retryAfterSeconds) {}

  public static Answer of(Refusal refusal, String requestId) {
    String message = refusal.getMessage();
    if (refusal instanceof InvalidRequest) {
      return plain(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message, requestId);
    }
    if (refusal instanceof Unauthenticated e) {
      return plain(HttpStatus.UNAUTHORIZED, e.keyPresented() ? "INVALID_TOKEN" : "AUTHENTICATION_REQUIRED", message,
          requestId);
    }
    if (refusal instanceof Forbidden) {
      return plain(HttpStatus.FORBIDDEN, "FORBIDDEN", message, requestId);
    }
    if (refusal instanceof NotFound) {
      return plain(HttpStatus.NOT_FOUND, "RESOURCE_NOT_FOUND", message, requestId);
    }
    if (refusal instanceof Conflict) {
      return plain(HttpStatus.CONFLICT, "CONFLICT", message, requestId);
    }
    if (refusal instanceof TooLarge) {
      return plain(HttpStatus.PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", message, requestId);
    }
    if (refusal instanceof RateLimited e) {
      return new Answer(HttpStatus.TOO_MANY_REQUESTS, new ErrorBody(message, "RATE_LIMIT_EXCEEDED", message, requestId,
          e.retryAfterSeconds()), e.retryAfterSeconds());
    }
    if (refusal instanceof NoCapacity || refusal instanceof Unavailable) {
      // A full queue knows when it expects to take the build again; otherwise a short, fixed wait.
      Long queueWait = refusal instanceof NoCapacity e ? e.retryAfterSeconds() : null;
      return new Answer(HttpStatus.SERVICE_UNAVAILABLE, ErrorBody.of("SERVICE_UNAVAILABLE", message, requestId),
          queueWait != null ? queueWait : RETRY_AFTER_UNAVAILABLE_SECONDS);
    }
    throw new IllegalArgumentException("unmapped refusal " + refusal.getClass().getName());
  }

  private static Answer plain(HttpStatus status, String code, String message, String requestId) {
    return new Answer(status, ErrorBody.of(code, message, requestId), null);
  }
}
