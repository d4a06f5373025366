package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two workers' attempts ending one build, on a real broker: the races that wrote two terminal events when ends were
 * plain sends after a claim check. Each writer has a view of its own, as each worker has.
 */
class TerminalWriterIT {
  private final Devstack.Endpoints stack = Devstack.shared();
  private final String topic = "end-it-" + UUID.randomUUID().toString().substring(0, 8) + ".build.status";
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void createTopic() throws Exception {
    try (Admin admin = Admin.create(stack.kafka())) {
      // One partition: every build's ends and every open transaction share it, as they may in the fleet.
      admin.createTopics(List.of(new NewTopic(topic, java.util.Optional.of(1), java.util.Optional.empty()))).all().get();
    }
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void anAttemptFrozenBeforeItsCommit_isFencedByTheNextAttempt() throws Exception {
    String buildId = UUID.randomUUID().toString();
    CountDownLatch frozenBeforeCommit = new CountDownLatch(1);
    CountDownLatch thaw = new CountDownLatch(1);
    TerminalWriter frozen = writer(transactionalId -> new KafkaProducer<>(producerConfig(transactionalId)) {
      @Override
      public void commitTransaction() {
        frozenBeforeCommit.countDown();
        awaitQuietly(thaw);
        super.commitTransaction();
      }
    });
    CompletableFuture<TerminalWriter.Result> first = CompletableFuture.supplyAsync(() -> write(frozen, buildId, 1));
    assertThat(frozenBeforeCommit.await(30, TimeUnit.SECONDS)).as("the first attempt reached its commit").isTrue();

    TerminalWriter.Result second = writer(this::producer).write(end(buildId, 2));
    thaw.countDown();

    assertThat(second).isEqualTo(TerminalWriter.Result.WRITTEN);
    assertThat(first.get(60, TimeUnit.SECONDS)).isEqualTo(TerminalWriter.Result.SUPERSEDED);
    assertThat(committedEnds(buildId)).extracting(BuildStatusChanged::getAttempt).containsExactly(2);
  }

  @Test
  void anEndCommittedBehindAnotherBuildsOpenTransaction_isFound() throws Exception {
    String buildId = UUID.randomUUID().toString();
    // Another build's end, begun and not yet committed: it holds the partition's last stable offset below ours.
    Producer<String, SpecificRecord> other = producer("other-" + UUID.randomUUID());
    closing.add(other);
    other.initTransactions();
    other.beginTransaction();
    other.send(new ProducerRecord<>(topic, "other", end("other", 1))).get();
    // The first attempt's end, committed after that transaction began.
    try (Producer<String, SpecificRecord> first = producer(topic + ".end." + buildId)) {
      first.initTransactions();
      first.beginTransaction();
      first.send(new ProducerRecord<>(topic, buildId, end(buildId, 1)));
      first.commitTransaction();
    }
    ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    closing.add(later::shutdownNow);
    later.schedule(other::commitTransaction, 1, TimeUnit.SECONDS);

    TerminalWriter.Result redelivered = writer(this::producer).write(end(buildId, 2));

    assertThat(redelivered).isEqualTo(TerminalWriter.Result.ENDED_ALREADY);
    assertThat(committedEnds(buildId)).extracting(BuildStatusChanged::getAttempt).containsExactly(1);
  }

  @Test
  void anEndWrittenByAnotherWorker_isNotWrittenAgain() throws Exception {
    String buildId = UUID.randomUUID().toString();
    assertThat(writer(this::producer).write(end(buildId, 1))).isEqualTo(TerminalWriter.Result.WRITTEN);

    assertThat(writer(this::producer).write(end(buildId, 2))).isEqualTo(TerminalWriter.Result.ENDED_ALREADY);
    assertThat(committedEnds(buildId)).extracting(BuildStatusChanged::getAttempt).containsExactly(1);
  }

  private TerminalWriter writer(java.util.function.Function<String, Producer<String, SpecificRecord>> producers) {
    TerminalBuilds view = TerminalBuildsIT.view(stack, topic);
    closing.add(view);
    await().atMost(Duration.ofSeconds(30)).until(view::caughtUp);
    return new TerminalWriter(producers, view, topic, topic + ".end.");
  }

  private Producer<String, SpecificRecord> producer(String transactionalId) {
    return new KafkaProducer<>(producerConfig(transactionalId));
  }

  private Map<String, Object> producerConfig(String transactionalId) {
    Map<String, Object> config = KilnSerdes.producer(stack.kafka(), stack.registryUrl());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    return config;
  }

  private static TerminalWriter.Result write(TerminalWriter writer, String buildId, int attempt) {
    try {
      return writer.write(end(buildId, attempt));
    } catch (InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(60, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static BuildStatusChanged end(String buildId, int attempt) {
    return BuildStatusChanged.newBuilder(TerminalBuildsIT.ended(buildId)).setAttempt(attempt)
        .setWorkerId("worker-" + attempt).build();
  }

  /** The build's terminal events as a downstream consumer reads them: committed, the whole topic. */
  private List<BuildStatusChanged> committedEnds(String buildId) {
    try (KafkaConsumer<String, Object> consumer =
             new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()))) {
      TopicPartition partition = new TopicPartition(topic, 0);
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      List<BuildStatusChanged> ends = new ArrayList<>();
      while (consumer.position(partition) < end) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() instanceof BuildStatusChanged status && status.getBuildId().equals(buildId)
              && status.getStatus() != BuildStatus.BUILDING) {
            ends.add(status);
          }
        }
      }
      return ends;
    }
  }
}
