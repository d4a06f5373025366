package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * A request redelivered after its build ended (the worker's ACCEPT failed after its terminal status was written)
 * must be recognised even when the view has not yet read that status: asked right after each write, every build is
 * known to have ended.
 */
class TerminalBuildsIT {

  @Test
  void aBuildEndedJustNow_isKnownToHaveEnded() throws Exception {
    Devstack.Endpoints stack = Devstack.shared();
    String topic = "terminal-it-" + UUID.randomUUID().toString().substring(0, 8) + ".build.status";
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(3), java.util.Optional.empty()))).all().get();
    }
    try (TerminalBuilds builds = view(stack, topic);
         KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      await().atMost(Duration.ofSeconds(30)).until(builds::caughtUp);
      for (int i = 0; i < 30; i++) {
        String buildId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(topic, buildId, ended(buildId))).get();

        assertThat(builds.isTerminalNow(buildId, Duration.ofSeconds(10))).as("build %d", i).isTrue();
      }
      assertThat(builds.isTerminalNow(UUID.randomUUID().toString(), Duration.ofSeconds(10))).isFalse();
    }
  }

  @Test
  void endsOlderThanAnyRequestStillOnItsTopic_areNotHeld() throws Exception {
    // Before: every end on the status topic (90 days of them) was held, so the view grew with history.
    Devstack.Endpoints stack = Devstack.shared();
    String topic = "terminal-age-" + UUID.randomUUID().toString().substring(0, 8) + ".build.status";
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(3), java.util.Optional.empty()))).all().get();
    }
    Instant old = Instant.now().minus(TerminalBuilds.KEPT).minus(Duration.ofHours(1));
    List<String> oldBuilds = new java.util.ArrayList<>();
    List<String> recentBuilds = new java.util.ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      for (int i = 0; i < 200; i++) {
        String buildId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(topic, buildId, endedAt(buildId, old)));
        oldBuilds.add(buildId);
      }
      for (int i = 0; i < 5; i++) {
        String buildId = UUID.randomUUID().toString();
        producer.send(new ProducerRecord<>(topic, buildId, ended(buildId)));
        recentBuilds.add(buildId);
      }
      producer.flush();
    }

    try (TerminalBuilds builds = view(stack, topic)) {
      await().atMost(Duration.ofSeconds(30)).until(builds::caughtUp);

      assertThat(builds.endsHeld()).isEqualTo(recentBuilds.size());
      assertThat(recentBuilds).allMatch(builds::isTerminal);
      assertThat(oldBuilds).noneMatch(builds::isTerminal);
    }
  }

  /** A worker's view of the status topic, wired as the worker wires it. */
  static TerminalBuilds view(Devstack.Endpoints stack, String topic) {
    Map<String, Object> watermarks = KilnSerdes.consumer(stack.kafka(), stack.registryUrl());
    watermarks.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return new TerminalBuilds(
        () -> new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl())),
        () -> new KafkaConsumer<>(watermarks), topic).start();
  }

  static BuildStatusChanged ended(String buildId) {
    return endedAt(buildId, Instant.now());
  }

  static BuildStatusChanged endedAt(String buildId, Instant now) {
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("org")
        .setTemplateName("t").setAttempt(1).setWorkerId("w").setStatus(BuildStatus.ACTIVE).setProgress(100)
        .setImageRef("kiln/org/t:" + buildId).setImageId("sha256:x").setStartedAt(now).setCompletedAt(now)
        .setLogChunks(0).setOccurredAt(now).build();
  }
}
