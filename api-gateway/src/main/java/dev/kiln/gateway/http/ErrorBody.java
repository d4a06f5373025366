package dev.kiln.gateway.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/** The HopX error body: {@code error} and {@code message} carry the same text; {@code retry_after} only on 429. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorBody(String error, String code, String message, @JsonProperty("request_id") String requestId,
    @JsonProperty("retry_after") Long retryAfter) {
  public static ErrorBody of(String code, String message, String requestId) {
    return new ErrorBody(message, code, message, requestId, null);
  }
}
