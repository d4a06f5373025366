package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A build request the share group gives up on (delivered up to the limit, never acknowledged) lands on the
 * dead-letter topic, and a worker ends its build {@code failed} with {@code delivery_exhausted}: it never stays
 * {@code building}.
 */
class DeadLetterSystemIT {
  static final String PREFIX = "dlq" + UUID.randomUUID().toString().substring(0, 8);
  static final String KEY = "dead-letter-test-key";
  static final KilnTopics TOPICS = KilnTopics.withPrefix(PREFIX);
  /** Slots of 2 cpu, 1024 MB, 4 GB: the small pool, whose share group the test plays a member of. */
  static final Map<String, String> SMALL_POOL = Map.of("KILN_WORKER_SLOTS", "2", "KILN_WORKER_CPU", "2",
      "KILN_WORKER_MEMORY_MB", "2048", "KILN_WORKER_DISK_GB", "8");

  @Test
  void requestDeliveredUpToTheLimit_endsFailedWithDeliveryExhausted() throws Exception {
    // A worker sets the share group up (dead-letter topic included); stopped, it cannot claim the request itself.
    KilnService.worker("dlq-worker", PREFIX, SMALL_POOL).close();
    lowerDeliveryLimitTo(2);
    BuildRequested request = request();
    send(request);

    assertThat(releaseEveryDelivery(request.getBuildId())).as("deliveries before the group gave up").isEqualTo(2);
    ConsumerRecord<String, Object> deadLetter = awaitDeadLetter();
    assertThat(((BuildRequested) deadLetter.value()).getBuildId()).isEqualTo(request.getBuildId());
    assertThat(new String(deadLetter.headers().lastHeader("__dlq.errors.delivery.count").value(),
        StandardCharsets.UTF_8)).isEqualTo("2");

    try (KilnService gateway = KilnService.gateway("dlq-gateway", PREFIX, Map.of("KILN_BOOTSTRAP_API_KEY", KEY));
        KilnService worker = KilnService.worker("dlq-worker", PREFIX, SMALL_POOL)) {
      JsonNode status = new KilnApi(gateway.baseUrl(), KEY).awaitTerminal(request.getBuildId(), Duration.ofSeconds(60));
      assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("failed");
      assertThat(status.get("error_message").asString())
          .isEqualTo("delivery_exhausted: the build request was delivered 2 times and no worker finished it");
    }
  }

  private static void lowerDeliveryLimitTo(int limit) throws Exception {
    try (Admin admin = Admin.create(Devstack.shared().kafka())) {
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP,
          TOPICS.workerShareGroup(SizeClass.SMALL)), List.of(new AlterConfigOp(new ConfigEntry("share.delivery.count.limit", String.valueOf(limit)),
              AlterConfigOp.OpType.SET)))).all().get();
    }
  }

  private static BuildRequested request() {
    String buildId = UUID.randomUUID().toString();
    return BuildRequested.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("default")
        .setTemplateName("never-built").setRequestId("req-" + buildId).setRequestedAt(Instant.now())
        .setFromImage("busybox:latest").setResources(new Resources(1, 256, 1))
        .setSteps(List.of(Step.newBuilder().setKind(StepKind.RUN).setArgs(List.of("true")).build())).build();
  }

  private static void send(BuildRequested request) throws Exception {
    Devstack.Endpoints stack = Devstack.shared();
    try (KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(TOPICS.buildRequests(SizeClass.SMALL), request.getBuildId(), request)).get();
    }
  }

  /** Plays a worker that crashes on the request every time: each delivery is released; returns how many came. */
  private static int releaseEveryDelivery(String buildId) {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, Object> config = KilnSerdes.shareConsumer(stack.kafka(), stack.registryUrl());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, TOPICS.workerShareGroup(SizeClass.SMALL));
    config.put("share.acknowledgement.mode", "explicit");
    int deliveries = 0;
    long quietSince = System.nanoTime();
    try (KafkaShareConsumer<String, Object> consumer = new KafkaShareConsumer<>(config)) {
      consumer.subscribe(List.of(TOPICS.buildRequests(SizeClass.SMALL)));
      // Done once nothing has come back for 10 s after the last delivery.
      while (deliveries == 0 ? System.nanoTime() - quietSince < Duration.ofSeconds(60).toNanos()
          : System.nanoTime() - quietSince < Duration.ofSeconds(10).toNanos()) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.key().equals(buildId)) {
            deliveries++;
            quietSince = System.nanoTime();
          }
          consumer.acknowledge(record, AcknowledgeType.RELEASE);
        }
        consumer.commitSync();
      }
    }
    return deliveries;
  }

  private static ConsumerRecord<String, Object> awaitDeadLetter() {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, Object> config = KilnSerdes.consumer(stack.kafka(), stack.registryUrl());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-test-reader-" + UUID.randomUUID());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<ConsumerRecord<String, Object>> found = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      consumer.subscribe(List.of(TOPICS.buildDeadLetters()));
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (found.isEmpty() && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(500)).forEach(found::add);
      }
    }
    assertThat(found).as("records on " + TOPICS.buildDeadLetters()).hasSize(1);
    return found.get(0);
  }
}
