package dev.kiln.gateway.http;

import org.springframework.http.HttpStatus;

/** A request Kiln refuses, carrying the HopX error code and the HTTP status it maps to. */
public class ApiException extends RuntimeException {
  private final HttpStatus status;
  private final String code;
  private final Integer retryAfterSeconds;

  public ApiException(HttpStatus status, String code, String message) {
    this(status, code, message, null);
  }

  /** A refusal that tells the client when to try again ({@code Retry-After}). */
  public ApiException(HttpStatus status, String code, String message, Integer retryAfterSeconds) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public static ApiException invalid(String message) {
    return new ApiException(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(HttpStatus.NOT_FOUND, "RESOURCE_NOT_FOUND", message);
  }

  /** Kiln cannot take the request now (Kafka or the ledger did not answer); worth retrying shortly. */
  public static ApiException unavailable(String message) {
    return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", message, 2);
  }

  public HttpStatus status() {
    return status;
  }

  public String code() {
    return code;
  }
}
