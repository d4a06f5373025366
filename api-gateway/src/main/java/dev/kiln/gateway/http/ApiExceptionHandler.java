package dev.kiln.gateway.http;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/** Maps every failure, Kiln's own or the client's, to a HopX error body in one place. */
@RestControllerAdvice
public class ApiExceptionHandler {
  private static final Logger log = LoggerFactory.getLogger(ApiExceptionHandler.class);

  @ExceptionHandler(ApiException.class)
  ResponseEntity<ErrorBody> refused(ApiException e, HttpServletRequest request) {
    ResponseEntity<ErrorBody> response = body(e.status(), e.code(), e.getMessage(), request);
    if (e.retryAfterSeconds() == null) {
      return response;
    }
    return ResponseEntity.status(e.status()).header("Retry-After", String.valueOf(e.retryAfterSeconds()))
        .body(response.getBody());
  }

  @ExceptionHandler({HttpMessageNotReadableException.class, MissingServletRequestParameterException.class,
      MethodArgumentTypeMismatchException.class})
  ResponseEntity<ErrorBody> unreadable(Exception e, HttpServletRequest request) {
    return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "invalid request: " + e.getMessage(), request);
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<ErrorBody> mediaType(Exception e, HttpServletRequest request) {
    return body(HttpStatus.BAD_REQUEST, "INVALID_REQUEST", "request body must be JSON", request);
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<ErrorBody> method(HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return body(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMessage(), request);
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<ErrorBody> noRoute(NoResourceFoundException e, HttpServletRequest request) {
    return body(HttpStatus.NOT_FOUND, "RESOURCE_NOT_FOUND", "no such endpoint: " + request.getRequestURI(), request);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ErrorBody> internal(Exception e, HttpServletRequest request) {
    log.error("request {} failed", RequestIds.of(request), e);
    return body(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "internal error", request);
  }

  static ResponseEntity<ErrorBody> body(HttpStatus status, String code, String message, HttpServletRequest request) {
    return ResponseEntity.status(status).body(ErrorBody.of(code, message, RequestIds.of(request)));
  }
}
