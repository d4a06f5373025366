package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.TopicSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Memory that does not grow with history: with 100,000 ended builds on the topics (two status events and a log chunk
 * each, as workers write them), a gateway and a worker start, become ready, and hold a live heap within a stated
 * bound, and the gateway still answers for the oldest build and its log.
 */
class HistorySystemIT {
  static final int BUILDS = 100_000;
  /**
   * The bound stated for both services: an empty history takes ~31 MB (gateway) and ~33 MB (worker); with this
   * history the gateway measured 66-83 MB (most of it the latest build of each of 100,000 templates), the worker
   * 36-38 MB. The projections held whole took 162 MB.
   */
  static final long LIVE_HEAP_BOUND_MB = 112;
  static final String KEY = "history-key-" + UUID.randomUUID();
  /** The bootstrap key's organization: its key may read every build of the history. */
  static final String ORGANIZATION = "default";
  /** The history spans most of the status topic's 90 days; a worker needs only the last 9 days' ends. */
  static final Duration SPAN = Duration.ofDays(80);

  @Test
  void aLongHistory_startsWithinAHeapBound_andIsStillAnswered() throws Exception {
    // Before: the gateway held every build's view and log index in its heap (162 MB live at 100,000 builds), and
    // the worker every end the status topic had (90 days of them).
    String prefix = "history" + UUID.randomUUID().toString().substring(0, 8);
    KilnTopics topics = KilnTopics.withPrefix(prefix);
    List<String> buildIds = writeHistory(topics);

    long asked = System.nanoTime();
    // A heap the old projections could not fit in: they would end the gateway with an OutOfMemoryError.
    try (KilnService gateway = KilnService.gateway("history-gateway", prefix, Map.of("KILN_BOOTSTRAP_API_KEY", KEY,
        KilnService.MAX_HEAP, "128m"))) {
      long gatewayReadyMs = Duration.ofNanos(System.nanoTime() - asked).toMillis();
      long gatewayHeap = LiveHeap.megabytes(gateway.pid());
      KilnApi api = new KilnApi(gateway.baseUrl(), KEY);
      JsonNode oldest = api.status(buildIds.get(0));
      assertThat(oldest.get("status").asString()).as(oldest.toString()).isEqualTo("active");
      JsonNode log = api.logs(buildIds.get(0));
      assertThat(log.get("logs").asString()).contains("Successfully built " + buildIds.get(0));

      long workerAsked = System.nanoTime();
      try (KilnService worker = KilnService.worker("history-worker", prefix, Map.of(KilnService.MAX_HEAP, "128m"))) {
        long workerReadyMs = Duration.ofNanos(System.nanoTime() - workerAsked).toMillis();
        long workerHeap = LiveHeap.megabytes(worker.pid());
        System.out.printf("history: %d ended builds; gateway ready in %d ms, live heap %d MB; worker ready in %d ms,"
            + " live heap %d MB (bound %d MB)%n", BUILDS, gatewayReadyMs, gatewayHeap, workerReadyMs, workerHeap,
            LIVE_HEAP_BOUND_MB);
        assertThat(gatewayHeap).isLessThanOrEqualTo(LIVE_HEAP_BOUND_MB);
        assertThat(workerHeap).isLessThanOrEqualTo(LIVE_HEAP_BOUND_MB);
      }
    }
  }

  /** Writes the builds' history, oldest first, from {@link #SPAN} ago to an hour ago; returns their ids in order. */
  private static List<String> writeHistory(KilnTopics topics) throws Exception {
    Devstack.Endpoints stack = Devstack.shared();
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(topics.all().stream().map(TopicSpec::toNewTopic).toList()).all().get();
    }
    Map<String, Object> config = KilnSerdes.producer(stack.kafka(), stack.registryUrl());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    List<String> ids = new java.util.ArrayList<>(BUILDS);
    Instant first = Instant.now().minus(SPAN);
    long step = SPAN.minusHours(1).toMillis() / BUILDS;
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < BUILDS; i++) {
        String buildId = UUID.randomUUID().toString();
        Instant at = first.plusMillis(i * step);
        BuildStatusChanged building = BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId)
            .setOrganizationId(ORGANIZATION).setTemplateName("history-" + i).setAttempt(1)
            .setWorkerId("history-writer").setStatus(BuildStatus.BUILDING).setProgress(0).setStartedAt(at)
            .setOccurredAt(at).build();
        BuildStatusChanged active = BuildStatusChanged.newBuilder(building).setStatus(BuildStatus.ACTIVE)
            .setProgress(100).setImageRef("127.0.0.1:5000/kiln/history-" + i + ":" + buildId)
            .setImageId("sha256:" + buildId.replace("-", "") + buildId.replace("-", "")).setLogChunks(1)
            .setCompletedAt(at.plusSeconds(3)).setOccurredAt(at.plusSeconds(3)).build();
        BuildLogChunk chunk = BuildLogChunk.newBuilder().setBuildId(buildId).setAttempt(1)
            .setWorkerId("history-writer").setStepIndex(0).setSeq(0)
            .setLines(List.of(line("Step 1/1 : CMD true", at), line("Successfully built " + buildId, at)))
            .setFirstLineAt(at).setLastLineAt(at.plusSeconds(3)).build();
        producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, building));
        producer.send(new ProducerRecord<>(topics.buildLogs(), buildId, chunk));
        producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, active));
        ids.add(buildId);
      }
      producer.flush();
    }
    return ids;
  }

  private static LogLine line(String message, Instant at) {
    return LogLine.newBuilder().setMessage(message).setLevel(LogLevel.INFO).setTimestamp(at).build();
  }
}
