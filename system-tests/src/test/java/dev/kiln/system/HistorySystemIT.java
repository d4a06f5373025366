package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.bench.History;
import dev.kiln.devstack.Devstack;
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
   * The bound stated for both services, in live objects: an empty history takes ~28 MB (gateway) and ~31 MB
   * (worker); bench/history.sh's 100,000 builds took 57 MB and 46 MB, most of the gateway's the latest build of each
   * of 100,000 templates. The projections held whole took 151 MB.
   */
  static final long LIVE_HEAP_BOUND_MB = 96;
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
    long step = SPAN.minusHours(1).toMillis() / BUILDS;
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      return History.write(producer, topics, BUILDS, Instant.now().minus(SPAN), Duration.ofMillis(step),
          i -> ORGANIZATION);
    }
  }
}
