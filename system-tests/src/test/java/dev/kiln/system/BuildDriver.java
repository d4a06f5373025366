package dev.kiln.system;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A client that keeps asking for builds through whichever gateway answers, as a careful user of the API would:
 * a 503 is retried after its {@code Retry-After}, a gateway that does not answer is traded for another. Every 202
 * is remembered: those builds must all be built.
 */
final class BuildDriver {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final List<String> gateways;
  private final String key;
  private final Map<String, String> accepted = new ConcurrentHashMap<>();
  private final AtomicInteger unavailable = new AtomicInteger();
  private final AtomicInteger conflicts = new AtomicInteger();
  private final AtomicInteger unanswered = new AtomicInteger();

  BuildDriver(List<String> gateways, String key) {
    this.gateways = gateways;
    this.key = key;
  }

  /**
   * Asks until a gateway answers 202 for a build of {@code body.apply(try)}; returns the build id. A new try gets
   * a new name: after an unanswered request or a 503 the old name may be held by a build nobody was told about.
   */
  String submit(int index, IntFunction<String> body) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      String gateway = gateways.get((index + attempt) % gateways.size());
      HttpResponse<String> response = post(gateway, body.apply(attempt));
      if (response == null) {
        unanswered.incrementAndGet();
        Thread.sleep(500);
      } else if (response.statusCode() == 202) {
        String buildId = JSON.readTree(response.body()).get("build_id").asString();
        accepted.put(buildId, gateway);
        return buildId;
      } else if (response.statusCode() == 503) {
        unavailable.incrementAndGet();
        Thread.sleep(1000L * Long.parseLong(response.headers().firstValue("Retry-After").orElseThrow(
            () -> new AssertionError("503 without Retry-After: " + response.body()))));
      } else if (response.statusCode() == 409) {
        conflicts.incrementAndGet();
      } else {
        throw new AssertionError("unexpected answer " + response.statusCode() + ": " + response.body());
      }
    }
  }

  /** The HTTP status of a build's status page on one gateway (404 for a build it never heard of). */
  int statusCode(String gateway, String buildId) throws InterruptedException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/templates/build/" + buildId + "/status"))
          .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    }
  }

  /** The build's status through any gateway that answers. */
  JsonNode status(String buildId) throws InterruptedException {
    for (int attempt = 0; ; attempt++) {
      String gateway = gateways.get(attempt % gateways.size());
      try {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                URI.create(gateway + "/v1/templates/build/" + buildId + "/status"))
            .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(10)).build(),
            HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return JSON.readTree(response.body());
        }
      } catch (IOException gatewayDown) {
        // try the next one
      }
      Thread.sleep(200);
    }
  }

  Map<String, String> accepted() {
    return accepted;
  }

  String counts() {
    return "accepted=" + accepted.size() + " 503s=" + unavailable + " 409s=" + conflicts + " unanswered=" + unanswered;
  }

  /** One request to one gateway: its answer, or null when the gateway did not answer. */
  HttpResponse<String> post(String gateway, String body) throws InterruptedException {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(gateway + "/v1/templates/build"))
          .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
          .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException gatewayDownOrTooSlow) {
      return null;
    }
  }
}
