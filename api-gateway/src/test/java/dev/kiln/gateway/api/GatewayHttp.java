package dev.kiln.gateway.api;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A tiny HTTP client for the gateway's API in tests, speaking real HTTP to the running server. */
final class GatewayHttp {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final String baseUrl;

  GatewayHttp(int port) {
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  /** A response with its body parsed (null when it is not JSON). */
  record Reply(int status, JsonNode body, String requestIdHeader, String raw, String retryAfter, HttpHeaders headers) {
    /** The first value of a response header, or null. */
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Reply post(String path, String key, String body) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
    return send(withKey(request, key, false));
  }

  /** POST with one extra header. */
  Reply postWithHeader(String path, String key, String body, String header, String value) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .header("Content-Type", "application/json").header(header, value)
        .POST(HttpRequest.BodyPublishers.ofString(body));
    return send(withKey(request, key, false));
  }

  /** GET with extra headers, given as name, value, name, value. */
  Reply getWithHeaders(String path, String key, String... headers) {
    return send(withKey(HttpRequest.newBuilder(URI.create(baseUrl + path)).headers(headers).GET(), key, false));
  }

  /** Any method, body and headers (name, value, ...); the body may be null. */
  Reply send(String method, String path, String key, String body, String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path)).method(method,
        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers.length > 0) {
      request.headers(headers);
    }
    return send(withKey(request, key, false));
  }

  Reply get(String path, String key) {
    return send(withKey(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), key, false));
  }

  Reply delete(String path, String key) {
    return send(withKey(HttpRequest.newBuilder(URI.create(baseUrl + path)).DELETE(), key, false));
  }

  /** GET authenticated with X-API-Key instead of a bearer token. */
  Reply getWithApiKeyHeader(String path, String key) {
    return send(withKey(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET(), key, true));
  }

  private static HttpRequest.Builder withKey(HttpRequest.Builder request, String key, boolean apiKeyHeader) {
    if (key != null) {
      request.header(apiKeyHeader ? "X-API-Key" : "Authorization", apiKeyHeader ? key : "Bearer " + key);
    }
    return request.timeout(Duration.ofSeconds(30));
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode body = null;
      try {
        body = JSON.readTree(response.body());
      } catch (RuntimeException notJson) {
        // left null: the caller asserts on raw
      }
      return new Reply(response.statusCode(), body, response.headers().firstValue("X-Request-ID").orElse(null),
          response.body(), response.headers().firstValue("Retry-After").orElse(null), response.headers());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
