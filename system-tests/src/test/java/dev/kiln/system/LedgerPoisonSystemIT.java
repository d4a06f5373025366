package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * The ledger poison of the front-door issue, across a restart: a build failing with ~900 KB of error text once made
 * the ledger's state too large for Kafka and killed the stream thread on every replay, restarts included. Now the
 * text is cut, and after a restart on the same ledger state the gateway still answers new names.
 */
class LedgerPoisonSystemIT {
  static final String PREFIX = "poison" + UUID.randomUUID().toString().substring(0, 8);
  static final String KEY = "poison-test-key";

  @Test
  void afterAHugeFailure_andARestart_otherNamesAreStillAnswered() throws Exception {
    try (KilnService gateway = KilnService.gateway("poison-gateway", PREFIX, Map.of("KILN_BOOTSTRAP_API_KEY", KEY))) {
      KilnApi api = new KilnApi(gateway.baseUrl(), KEY);
      announceWorker();
      String poisoned = "poison-" + UUID.randomUUID().toString().substring(0, 6);
      // Admitted once the gateway has read the heartbeat; no worker ever claims the build.
      String buildId = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
          .until(() -> api.build(body(poisoned)), id -> !id.isBlank());
      failWithHugeError(poisoned, buildId);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
          assertThat(api.template(poisoned).get("last_build_error").asString()).endsWith("[truncated]"));

      gateway.close();
      gateway.start();

      assertThat(api.build(body("after-restart-" + UUID.randomUUID().toString().substring(0, 6)))).isNotBlank();
      assertThat(api.template(poisoned).get("last_build_error").asString()).hasSizeLessThanOrEqualTo(4096);
    }
  }

  private static String body(String name) {
    return "{\"name\":\"" + name + "\",\"from_image\":\"busybox:latest\",\"cpu\":1,\"memory\":512,\"diskGB\":1,"
        + "\"steps\":[{\"type\":\"RUN\",\"args\":[\"true\"]}]}";
  }

  /** A heartbeat as a worker would write it (plenty of slots, beating every hour): the gateway admits builds. */
  private static void announceWorker() throws Exception {
    Instant now = Instant.now();
    Resources total = new Resources(4, 64000, 250);
    WorkerHeartbeat heartbeat = WorkerHeartbeat.newBuilder().setWorkerId("poison-worker").setVersion("test")
        .setTotal(total).setFree(total).setMaxBuild(total).setSlots(10).setFreeSlots(10)
        .setRunningBuilds(List.of()).setIntervalMs(3_600_000).setStartedAt(now).setSentAt(now).build();
    send(KilnTopics.withPrefix(PREFIX).workers(), "poison-worker", heartbeat);
  }

  private static void send(String topic, String key, SpecificRecord value) throws Exception {
    Devstack.Endpoints stack = Devstack.shared();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }

  /** What a worker would write for a build whose ready check printed ~900 KB before failing. */
  private static void failWithHugeError(String name, String buildId) throws Exception {
    Instant now = Instant.now();
    BuildStatusChanged failed = BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId)
        .setOrganizationId("default").setTemplateName(name).setAttempt(1).setWorkerId("w-test")
        .setStatus(BuildStatus.FAILED).setProgress(90).setErrorCode("ready_check_failed")
        .setErrorMessage("ready_check_failed: " + "e".repeat(900_000)).setStartedAt(now.minusSeconds(2))
        .setCompletedAt(now).setOccurredAt(now).build();
    send(KilnTopics.withPrefix(PREFIX).buildStatus(), buildId, failed);
  }
}
