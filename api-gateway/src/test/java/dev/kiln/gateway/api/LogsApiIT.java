package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;

/** Logs and status as a worker writes them to the topics, read back through the gateway's API. */
class LogsApiIT extends GatewayITBase {

  @Test
  void logs_pagedByOffset_returnEveryLineOnceInOrder() throws Exception {
    String buildId = http.post("/v1/templates/build", KEY, GatewayApiIT.validBody("logs-app")).body().get("build_id").asString();
    int chunks = 25;
    int linesPerChunk = 10;
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (int c = 0; c < chunks; c++) {
        producer.send(new ProducerRecord<>(PREFIX + ".build.logs", buildId, chunk(buildId, c, linesPerChunk))).get();
      }
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, terminal(buildId, chunks))).get();
    }

    List<String> seen = new ArrayList<>();
    long offset = 0;
    boolean complete = false;
    for (int page = 0; page < 200 && !complete; page++) {
      GatewayHttp.Reply reply = http.get("/v1/templates/build/" + buildId + "/logs?offset=" + offset + "&limit=7", KEY);
      assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
      assertThat(GatewayApiIT.fieldNames(reply.body())).containsExactly("logs", "offset", "status", "complete", "request_id");
      String text = reply.body().get("logs").asString();
      if (!text.isEmpty()) {
        seen.addAll(List.of(text.split("\n")));
      }
      long next = reply.body().get("offset").asLong();
      assertThat(next - offset).isEqualTo(text.isEmpty() ? 0 : text.split("\n").length);
      offset = next;
      complete = reply.body().get("complete").asBoolean();
      if (text.isEmpty() && !complete) {
        Thread.sleep(50);
      }
    }

    List<String> expected = IntStream.range(0, chunks * linesPerChunk).mapToObj(i -> "line " + i).toList();
    assertThat(complete).isTrue();
    assertThat(seen).containsExactlyElementsOf(expected);
  }

  @Test
  void logs_asServerSentEvents_streamEveryLineThenDone_andResumeFromLastEventId() throws Exception {
    String buildId = http.post("/v1/templates/build", KEY, GatewayApiIT.validBody("sse-app")).body().get("build_id").asString();
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      for (int c = 0; c < 3; c++) {
        producer.send(new ProducerRecord<>(PREFIX + ".build.logs", buildId, chunk(buildId, c, 4))).get();
      }
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, terminal(buildId, 3))).get();
    }

    List<String> events = sse("/v1/templates/build/" + buildId + "/logs", null);
    List<String> resumed = sse("/v1/templates/build/" + buildId + "/logs", "10");

    assertThat(events.stream().filter(e -> e.startsWith("event:log")).count()).isEqualTo(12);
    assertThat(events.get(0)).startsWith("event:log|id:1|data:{\"level\":\"INFO\",\"message\":\"line 0\"");
    assertThat(events.get(events.size() - 1)).isEqualTo("event:done|data:{\"status\":\"failed\"}");
    assertThat(resumed).hasSize(3);
    assertThat(resumed.get(0)).startsWith("event:log|id:11|").contains("\"message\":\"line 10\"");
    assertThat(http.get("/v1/templates/build/" + buildId + "/logs", KEY).body().get("complete").asBoolean())
        .as("JSON stays the default").isTrue();
  }

  /** Reads an SSE response whole; each event as its fields joined by '|'. */
  private List<String> sse(String path, String lastEventId) throws Exception {
    java.net.http.HttpRequest.Builder request = java.net.http.HttpRequest.newBuilder(
            java.net.URI.create("http://127.0.0.1:" + port + path))
        .header("Authorization", "Bearer " + KEY).header("Accept", "text/event-stream")
        .timeout(java.time.Duration.ofSeconds(30));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    String body = java.net.http.HttpClient.newHttpClient()
        .send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    List<String> events = new ArrayList<>();
    for (String block : body.split("\n\n")) {
      String event = block.lines().filter(line -> !line.startsWith(":")).reduce((a, b) -> a + "|" + b).orElse("");
      if (!event.isEmpty()) {
        events.add(event);
      }
    }
    return events;
  }

  @Test
  void logs_byTemplateId_andOfAnotherOrganization_is404() {
    String buildId = http.post("/v1/templates/build", KEY, GatewayApiIT.validBody("logs-iso")).body().get("build_id").asString();

    assertThat(http.get("/v1/templates/build/" + buildId + "/logs", KEY).status()).isEqualTo(200);
    assertThat(http.get("/v1/templates/build/" + buildId + "/logs", OTHER_KEY).status()).isEqualTo(404);
  }

  @Test
  void status_afterWorkerEvents_showsTerminalAndNeverGoesBack() throws Exception {
    String buildId = http.post("/v1/templates/build", KEY, GatewayApiIT.validBody("status-flow")).body().get("build_id").asString();
    try (KafkaProducer<String, SpecificRecord> producer = producer()) {
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, terminal(buildId, 0))).get();
      BuildStatusChanged late = BuildStatusChanged.newBuilder(terminal(buildId, 0))
          .setStatus(BuildStatus.BUILDING).setProgress(50).setCompletedAt(null).build();
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, late)).get();
    }

    GatewayHttp.Reply status = awaitStatus(buildId, "failed");

    assertThat(status.body().get("error_message").asString()).isEqualTo("step_failed: step 2/5 ENV exited with code 2");
    assertThat(status.body().get("build_duration_ms").asLong()).isPositive();
    assertThat(status.body().get("progress").asInt()).isEqualTo(40);
  }

  private GatewayHttp.Reply awaitStatus(String buildId, String wanted) throws InterruptedException {
    GatewayHttp.Reply reply = null;
    for (int i = 0; i < 100; i++) {
      reply = http.get("/v1/templates/build/" + buildId + "/status", KEY);
      if (wanted.equals(reply.body().get("status").asString())) {
        Thread.sleep(300); // a later, stale event must not move it back
        return http.get("/v1/templates/build/" + buildId + "/status", KEY);
      }
      Thread.sleep(100);
    }
    throw new AssertionError("status never became " + wanted + ": " + reply.raw());
  }

  private static BuildLogChunk chunk(String buildId, int seq, int lines) {
    Instant now = Instant.now();
    List<LogLine> content = IntStream.range(0, lines)
        .mapToObj(i -> new LogLine("line " + (seq * lines + i), LogLevel.INFO, now)).toList();
    return new BuildLogChunk(buildId, 1, "w-test", 0, (long) seq, content, now, now);
  }

  private static BuildStatusChanged terminal(String buildId, int logChunks) {
    Instant now = Instant.now();
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("org-a")
        .setTemplateName("logs-app").setAttempt(1).setWorkerId("w-test").setStatus(BuildStatus.FAILED)
        .setProgress(40).setErrorCode("step_failed").setErrorMessage("step_failed: step 2/5 ENV exited with code 2")
        .setStartedAt(now.minusSeconds(2)).setCompletedAt(now).setOccurredAt(now).setLogChunks(logChunks).build();
  }

  private static KafkaProducer<String, SpecificRecord> producer() {
    Devstack.Endpoints stack = Devstack.shared();
    return new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()));
  }
}
