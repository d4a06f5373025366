package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

class GatewayApiIT extends GatewayITBase {

  static String validBody(String name) {
    return "{\"name\":\"" + name + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,\"memory\":512,\"diskGB\":2,"
        + "\"steps\":[{\"type\":\"RUN\",\"args\":[\"echo one\"]},{\"type\":\"env\",\"key\":\"A\",\"value\":\"1\"},"
        + "{\"type\":\"ENV\",\"args\":[\"B\",\"2\"]},{\"type\":\"WORKDIR\",\"args\":[\"/app\"]},"
        + "{\"type\":\"RUN\",\"args\":[\"echo two\"]}]}";
  }

  @Test
  void postBuild_valid_answers202AfterKafkaHasTheRequest() {
    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, validBody("app-" + UUID.randomUUID().toString().substring(0, 6)));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(202);
    assertThat(fieldNames(reply.body())).containsExactly("build_id", "template_id", "status", "logs_url", "request_id");
    String buildId = reply.body().get("build_id").asString();
    assertThat(reply.body().get("template_id").asString()).isEqualTo(buildId);
    assertThat(reply.body().get("status").asString()).isEqualTo("building");
    assertThat(reply.body().get("logs_url").asString()).isEqualTo("http://127.0.0.1:" + port + "/v1/templates/build/" + buildId + "/logs");
    assertThat(reply.requestIdHeader()).isEqualTo(reply.body().get("request_id").asString()).startsWith("req_");

    BuildRequested written = requestsOnTopic().stream().filter(r -> r.getBuildId().equals(buildId)).findFirst().orElseThrow();
    assertThat(written.getOrganizationId()).isEqualTo("org-a");
    assertThat(written.getSteps()).extracting(s -> s.getKind()).containsExactly(
        StepKind.RUN, StepKind.ENV, StepKind.ENV, StepKind.WORKDIR, StepKind.RUN);
    assertThat(written.getSteps().get(2).getArgs()).containsExactly("B=2");
  }

  @Test
  void status_rightAfterAccept_isBuildingWithExactKeys() {
    Instant before = Instant.now().minusSeconds(1);
    String buildId = http.post("/v1/templates/build", KEY, validBody("status-app")).body().get("build_id").asString();

    GatewayHttp.Reply status = http.getWithApiKeyHeader("/v1/templates/build/" + buildId + "/status", KEY);

    assertThat(status.status()).as(status.raw()).isEqualTo(200);
    assertThat(fieldNames(status.body())).containsExactly("build_id", "template_id", "status", "progress",
        "current_step", "started_at", "completed_at", "error_message", "build_duration_ms", "request_id");
    assertThat(status.body().get("status").asString()).isEqualTo("building");
    assertThat(status.body().get("progress").asInt()).isZero();
    assertThat(Instant.parse(status.body().get("started_at").asString())).isAfter(before);
  }

  @Test
  void status_ofAnotherOrganizationsBuild_is404() {
    String buildId = http.post("/v1/templates/build", KEY, validBody("private-app")).body().get("build_id").asString();

    GatewayHttp.Reply reply = http.get("/v1/templates/build/" + buildId + "/status", OTHER_KEY);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(reply.body().get("code").asString()).isEqualTo("RESOURCE_NOT_FOUND");
  }

  @Test
  void status_unknownBuild_is404AfterWaitingBriefly() {
    long start = System.nanoTime();
    GatewayHttp.Reply reply = http.get("/v1/templates/build/no-such-build/status", KEY);

    assertThat(reply.status()).isEqualTo(404);
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    assertErrorBody(reply, "RESOURCE_NOT_FOUND");
  }

  @Test
  void refusedRequests_getHopxErrors_andWriteNothingToKafka() {
    long before = requestsEndOffset();
    List<Object[]> cases = List.of(
        new Object[] {KEY, "{\"name\":", 400, "INVALID_REQUEST", "malformed JSON"},
        new Object[] {KEY, "{\"from_image\":\"debian\",\"cpu\":1,\"memory\":512,\"diskGB\":1}", 400, "INVALID_REQUEST", "name is required"},
        new Object[] {KEY, validBody("x").replace("\"type\":\"WORKDIR\"", "\"type\":\"SPIN\""), 400, "INVALID_REQUEST", "steps[3]: unknown step type 'SPIN'"},
        new Object[] {KEY, validBody("x").replace("\"memory\":512", "\"memory\":100"), 400, "INVALID_REQUEST", "Invalid memory: must be between 512 and 64000 MB"},
        new Object[] {null, validBody("x"), 401, "AUTHENTICATION_REQUIRED", "API key required"},
        new Object[] {"wrong-key", validBody("x"), 401, "INVALID_TOKEN", "invalid API key"});

    for (Object[] c : cases) {
      GatewayHttp.Reply reply = http.post("/v1/templates/build", (String) c[0], (String) c[1]);
      assertThat(reply.status()).as(c[1] + " -> " + reply.raw()).isEqualTo(c[2]);
      assertErrorBody(reply, (String) c[3]);
      assertThat(reply.body().get("message").asString()).contains((String) c[4]);
    }
    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  @Test
  void build_thatNoLiveWorkerCanTake_is503WithRetryAfter_andNothingQueued() {
    long before = requestsEndOffset();

    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY,
        validBody("too-big-" + UUID.randomUUID().toString().substring(0, 6)).replace("\"cpu\":1", "\"cpu\":8"));

    assertThat(reply.status()).isEqualTo(503);
    assertErrorBody(reply, "SERVICE_UNAVAILABLE");
    assertThat(reply.body().get("message").asString()).isEqualTo("no available nodes");
    assertThat(reply.retryAfter()).isEqualTo("5");
    assertThat(requestsEndOffset()).isEqualTo(before);
  }

  @Test
  void health_needsNoKey() {
    GatewayHttp.Reply reply = http.get("/health", null);

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.body().get("status").asString()).isEqualTo("ok");
    assertThat(reply.requestIdHeader()).startsWith("req_");
  }

  @Test
  void readinessWithoutKey_andPrometheusWithKey_areServed() {
    assertThat(http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
    GatewayHttp.Reply metrics = http.get("/actuator/prometheus", KEY);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.raw()).contains("jvm_memory_used_bytes", "kiln_queue_backlog", "kiln_queue_oldest_age_seconds",
        "kiln_queue_share_group_lag");
  }

  @Test
  void livezAndReadyz_onTheMainPort_needNoKey() {
    assertThat(http.get("/livez", null).status()).isEqualTo(200);
    assertThat(http.get("/readyz", null).status()).isEqualTo(200);
    assertThat(http.send("HEAD", "/readyz", null, null).status()).isEqualTo(200);
    assertThat(http.send("POST", "/readyz", null, "{}", "Content-Type", "application/json").status()).isEqualTo(401);
  }

  static void assertErrorBody(GatewayHttp.Reply reply, String code) {
    assertThat(fieldNames(reply.body())).containsExactlyInAnyOrder("error", "code", "message", "request_id");
    assertThat(reply.body().get("code").asString()).isEqualTo(code);
    assertThat(reply.body().get("error").asString()).isEqualTo(reply.body().get("message").asString());
    assertThat(reply.requestIdHeader()).isEqualTo(reply.body().get("request_id").asString());
  }

  static List<String> fieldNames(JsonNode node) {
    return new ArrayList<>(node.propertyNames());
  }

  private List<BuildRequested> requestsOnTopic() {
    List<BuildRequested> found = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = consumer()) {
      List<TopicPartition> partitions = partitions(consumer);
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
          found.add((BuildRequested) record.value());
        }
      }
    }
    return found;
  }

  private long requestsEndOffset() {
    try (KafkaConsumer<String, Object> consumer = consumer()) {
      return consumer.endOffsets(partitions(consumer)).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private static List<TopicPartition> partitions(KafkaConsumer<String, Object> consumer) {
    return KilnTopics.withPrefix(PREFIX).buildRequestTopics().stream()
        .flatMap(topic -> consumer.partitionsFor(topic).stream())
        .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
  }

  private static KafkaConsumer<String, Object> consumer() {
    Devstack.Endpoints stack = Devstack.shared();
    return new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()));
  }
}
