package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A HopX API client as the SDKs use it: start a build, poll its status, page its logs. */
final class KilnApi {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final String baseUrl;
  private final String key;

  KilnApi(String baseUrl, String key) {
    this.baseUrl = baseUrl;
    this.key = key;
  }

  /** Starts a build and returns its id; fails unless the answer is 202. */
  String build(String body) {
    JsonNode answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/build"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)), 202);
    return answer.get("build_id").asString();
  }

  /** Asks to cancel a build; fails unless the answer is 202. */
  JsonNode cancel(String buildId) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/build/" + buildId + "/cancel"))
        .POST(HttpRequest.BodyPublishers.noBody()), 202);
  }

  /** Deletes a template; fails unless the answer is 200. */
  JsonNode deleteTemplate(String templateId) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/" + templateId)).DELETE(), 200);
  }

  /** Polls the template until it is active, as the SDKs do after a build. */
  void awaitTemplateActive(String templateId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/" + templateId)).GET(), 200)
        .path("is_active").asBoolean(false)) {
      assertThat(System.nanoTime()).as("template " + templateId + " never became active").isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** A template's detail; fails unless the answer is 200. */
  JsonNode template(String templateId) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/" + templateId)).GET(), 200);
  }

  JsonNode status(String buildId) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/build/" + buildId + "/status")).GET(), 200);
  }

  /** The build's log from its first line, one page; fails unless the answer is 200. */
  JsonNode logs(String buildId) {
    return send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/build/" + buildId + "/logs")).GET(), 200);
  }

  /** Polls until the build is active or failed. */
  JsonNode awaitTerminal(String buildId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = status(buildId);
    while (status.get("status").asString().equals("building") && System.nanoTime() < deadline) {
      Thread.sleep(250);
      status = status(buildId);
    }
    return status;
  }

  /** Polls until the build reports {@code step} (e.g. "step 2/3 RUN") as its current step. */
  void awaitStep(String buildId, String step, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!step.equals(status(buildId).path("current_step").asString(""))) {
      assertThat(System.nanoTime()).as("build " + buildId + " never reached " + step).isLessThan(deadline);
      Thread.sleep(200);
    }
  }

  /** Every log line of a finished build, read page by page through the offset cursor. */
  List<String> allLogLines(String buildId, int pageSize) throws InterruptedException {
    List<String> lines = new ArrayList<>();
    long offset = 0;
    for (int page = 0; page < 10_000; page++) {
      JsonNode answer = send(HttpRequest.newBuilder(URI.create(baseUrl + "/v1/templates/build/" + buildId
          + "/logs?offset=" + offset + "&limit=" + pageSize)).GET(), 200);
      String text = answer.get("logs").asString();
      if (!text.isEmpty()) {
        lines.addAll(List.of(text.substring(0, text.length() - 1).split("\n", -1)));
      }
      offset = answer.get("offset").asLong();
      if (answer.get("complete").asBoolean()) {
        return lines;
      }
      if (text.isEmpty()) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("logs of " + buildId + " never complete");
  }

  private JsonNode send(HttpRequest.Builder request, int expected) {
    try {
      HttpResponse<String> response = HTTP.send(request.header("Authorization", "Bearer " + key)
          .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
      return JSON.readTree(response.body());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
