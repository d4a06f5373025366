package dev.kiln.system;

import static dev.kiln.system.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two workers on two Docker engines (the second started by ops/host/start-second-docker.sh) share their layer cache
 * through a cache repository in the fleet's registry, and push template images there: what the first engine
 * built, the second pulls; a deleted template's tags leave the registry.
 */
class SharedCacheSystemIT {
  static final String PREFIX = "cache" + UUID.randomUUID().toString().substring(0, 8);
  static final String KEY = "shared-cache-test-key";
  static final String SECOND_ENGINE = "unix:///var/run/kiln-docker-2.sock";
  static final String REGISTRY = "127.0.0.1:5000";
  static final Map<String, String> FLEET = Map.of("KILN_CACHE_REPO", REGISTRY + "/kiln-cache-" + PREFIX,
      "KILN_TEMPLATE_REGISTRY", REGISTRY);
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void workerOnAnotherEngine_pullsEveryLayerTheFirstBuilt_templatesLiveInTheRegistry() throws Exception {
    String name = PREFIX;
    String body = "{\"name\":\"" + name + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,\"memory\":512,"
        + "\"diskGB\":2,\"steps\":[{\"type\":\"RUN\",\"args\":[\"echo " + PREFIX + " > /id.txt\"]},"
        + "{\"type\":\"ENV\",\"args\":[\"A\",\"1\"]},{\"type\":\"RUN\",\"args\":[\"echo two >> /id.txt\"]}]}";
    try (KilnService gateway = KilnService.gateway("cache-gateway", PREFIX, Map.of("KILN_BOOTSTRAP_API_KEY", KEY))) {
      KilnApi api = new KilnApi(gateway.baseUrl(), KEY);
      String first;
      try (KilnService onFirstEngine = KilnService.worker("cache-worker-a", PREFIX, FLEET)) {
        first = accepted(gateway, body);
        assertThat(api.awaitTerminal(first, Duration.ofMinutes(3)).get("status").asString()).isEqualTo("active");
      }
      assertThat(stepLines(api, first)).noneMatch(line -> line.endsWith("CACHED"));

      Map<String, String> second = new java.util.HashMap<>(FLEET);
      second.put("DOCKER_HOST", SECOND_ENGINE);
      // Each engine knows only its own networks: the second takes its build subnets from a range of its own.
      second.put("KILN_SANDBOX_NETWORK_POOL", "10.214.0.0/16");
      try (KilnService onSecondEngine = KilnService.worker("cache-worker-b", PREFIX, second)) {
        api.awaitTemplateActive(first, Duration.ofSeconds(30));
        String rebuilt = accepted(gateway, body.replace("{\"name\"", "{\"update\":true,\"name\""));
        JsonNode status = api.awaitTerminal(rebuilt, Duration.ofMinutes(3));
        assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("active");

        assertThat(stepLines(api, rebuilt)).hasSize(3).allSatisfy(line -> assertThat(line).endsWith(" CACHED"));
        String local = "kiln/default/" + name + ":";
        assertThat(docker("-H", SECOND_ENGINE, "image", "inspect", "-f", "{{.Id}}", local + rebuilt))
            .isEqualTo(docker("image", "inspect", "-f", "{{.Id}}", local + first));
        assertThat(docker("-H", SECOND_ENGINE, "run", "--rm", local + rebuilt, "cat", "/id.txt"))
            .isEqualTo(PREFIX + "\ntwo\n");

        String image = awaitTemplateImage(api, first, rebuilt, Duration.ofSeconds(30));
        assertThat(image).startsWith(REGISTRY + "/kiln/default/" + name + ":" + rebuilt + "@sha256:");
        assertThat(registryTags("kiln/default/" + name)).contains(first, rebuilt);

        api.deleteTemplate(first);
        assertThat(awaitNoTags("kiln/default/" + name, Duration.ofSeconds(30))).as("tags left in the registry")
            .isEmpty();
      }
    }
  }

  /** The template's image once the ledger recorded the build {@code buildId} as its latest. */
  private static String awaitTemplateImage(KilnApi api, String templateId, String buildId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    String image = api.template(templateId).path("image").asString("");
    while (!image.contains(":" + buildId + "@") && System.nanoTime() < deadline) {
      Thread.sleep(200);
      image = api.template(templateId).path("image").asString("");
    }
    return image;
  }

  private static List<String> stepLines(KilnApi api, String buildId) throws InterruptedException {
    return api.allLogLines(buildId, 1000).stream().filter(line -> line.startsWith("step ")).toList();
  }

  private static List<String> registryTags(String repository) throws Exception {
    HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(
        URI.create("http://" + REGISTRY + "/v2/" + repository + "/tags/list")).build(),
        HttpResponse.BodyHandlers.ofString());
    if (answer.statusCode() == 404) {
      return List.of();
    }
    return JSON.readTree(answer.body()).path("tags").valueStream().map(JsonNode::asString).toList();
  }

  private static List<String> awaitNoTags(String repository, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<String> tags = registryTags(repository);
    while (!tags.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(500);
      tags = registryTags(repository);
    }
    return tags;
  }

  /** Posts until a gateway that has just seen its worker join admits the build. */
  private static String accepted(KilnService gateway, String body) throws Exception {
    BuildDriver driver = new BuildDriver(List.of(gateway.baseUrl()), KEY);
    for (int attempt = 0; attempt < 30; attempt++) {
      HttpResponse<String> answer = driver.post(gateway.baseUrl(), body);
      if (answer != null && answer.statusCode() == 202) {
        return JSON.readTree(answer.body()).get("build_id").asString();
      }
      assertThat(answer == null ? 503 : answer.statusCode()).as(answer == null ? "no answer" : answer.body())
          .isEqualTo(503);
      Thread.sleep(1000);
    }
    throw new AssertionError("no worker admitted the build within 30 s");
  }
}
