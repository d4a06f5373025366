package dev.kiln.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The HopX API as the benchmark uses it: start a build (waiting out 503s), wait for its end. */
final class KilnClient {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final String baseUrl;
  private final String key;

  KilnClient(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  /** Starts a build; returns its id once a gateway answered 202. */
  String build(String body) throws IOException, InterruptedException {
    for (int attempt = 0; attempt < 120; attempt++) {
      HttpResponse<String> answer = HTTP.send(request("/v1/templates/build")
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 202) {
        return JSON.readTree(answer.body()).get("build_id").asString();
      }
      if (answer.statusCode() != 503) {
        throw new IllegalStateException("build refused: " + answer.statusCode() + " " + answer.body());
      }
      Thread.sleep(1000);
    }
    throw new IllegalStateException("no worker took the build within 2 minutes");
  }

  /** Polls the build's status until it is active or failed. */
  JsonNode awaitEnd(String buildId) throws IOException, InterruptedException {
    for (int polls = 0; polls < 12_000; polls++) {
      JsonNode status = JSON.readTree(HTTP.send(request("/v1/templates/build/" + buildId + "/status").GET().build(),
          HttpResponse.BodyHandlers.ofString()).body());
      if (!status.get("status").asString().equals("building")) {
        return status;
      }
      Thread.sleep(20);
    }
    throw new IllegalStateException("build " + buildId + " did not end within 4 minutes");
  }

  /** Waits until the template of {@code buildId} can be updated (its first build is recorded as done). */
  void awaitTemplateActive(String templateId) throws IOException, InterruptedException {
    for (int polls = 0; polls < 300; polls++) {
      HttpResponse<String> answer = HTTP.send(request("/v1/templates/" + templateId).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      if (answer.statusCode() == 200 && JSON.readTree(answer.body()).path("is_active").asBoolean(false)) {
        return;
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("template " + templateId + " never became active");
  }

  /** 202 to active by the server's own clock: the build's accept time to its terminal status. */
  static long serverMillis(JsonNode status) {
    if (!status.get("status").asString().equals("active")) {
      throw new IllegalStateException("build did not succeed: " + status);
    }
    return Duration.between(Instant.parse(status.get("started_at").asString()),
        Instant.parse(status.get("completed_at").asString())).toMillis();
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Authorization", "Bearer " + key)
        .timeout(Duration.ofSeconds(30));
  }
}
