package dev.kiln.gateway.http;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.refusal.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.web.HttpMediaTypeNotAcceptableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingRequestHeaderException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure, Kiln's own or the client's, to a HopX error body; statuses come from {@link HttpStatuses}. */
@RestControllerAdvice
public class ApiExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(Refusal.class)
  ResponseEntity<ErrorBody> refused(Refusal e, HttpServletRequest request) {
    HttpStatuses.Answer answer = HttpStatuses.of(e, RequestIds.of(request));
    // Content type preset: an SSE request (Accept: text/event-stream) still gets its JSON error, not a 500.
    ResponseEntity.BodyBuilder response = ResponseEntity.status(answer.status()).contentType(MediaType.APPLICATION_JSON);
    if (answer.retryAfterSeconds() != null) {
      response.header("Retry-After", String.valueOf(answer.retryAfterSeconds()));
    }
    return response.body(answer.body());
  }

  @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
      MissingRequestHeaderException.class})
  ResponseEntity<ErrorBody> unreadable(Exception e, HttpServletRequest request) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof BodyLimitFilter.BodyTooLarge tooLarge) {
        return refused(tooLarge.refusal(), request);
      }
    }
    return refused(new InvalidRequest("invalid request: " + e.getMessage()), request);
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<ErrorBody> mismatch(MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return refused(new InvalidRequest(e.getName() + " has an invalid value"), request);
  }

  @ExceptionHandler({HttpMediaTypeNotSupportedException.class, HttpMediaTypeNotAcceptableException.class})
  ResponseEntity<ErrorBody> mediaType(Exception e, HttpServletRequest request) {
    return refused(new InvalidRequest("unsupported media type: send and accept JSON"), request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.METHOD_NOT_ALLOWED).contentType(MediaType.APPLICATION_JSON)
        .body(ErrorBody.of("METHOD_NOT_ALLOWED", e.getMessage(), RequestIds.of(request)));
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorBody> noRoute(NoResourceFoundException e, HttpServletRequest request) {
    return refused(new NotFound("no such endpoint"), request);
  }

  @ExceptionHandler(BodyLimitFilter.BodyTooLarge.class)
  ResponseEntity<ErrorBody> tooLarge(BodyLimitFilter.BodyTooLarge e, HttpServletRequest request) {
    return refused(e.refusal(), request);
  }

  /** The firewall checks header values as they are read, so a controller may be the first to trip over one. */
  @ExceptionHandler(RequestRejectedException.class)
  ResponseEntity<ErrorBody> rejected(RequestRejectedException e, HttpServletRequest request) {
    return refused(InvalidRequest.firewall(e.getMessage()), request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> internal(Exception e, HttpServletRequest request) {
    log.error("request {} failed", RequestIds.of(request), e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).contentType(MediaType.APPLICATION_JSON)
        .body(ErrorBody.of("INTERNAL_ERROR", "internal error", RequestIds.of(request)));
  }
}
