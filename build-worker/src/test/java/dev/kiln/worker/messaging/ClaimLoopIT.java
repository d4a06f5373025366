package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.worker.capacity.WorkerCapacity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A build slot on a real broker, started while its worker's view of ended builds is still being read: a request
 * whose build ended before the worker started (its ACCEPT lost to a crash) is acknowledged, never built again.
 */
class ClaimLoopIT {
  private static final Duration LOCK = Duration.ofSeconds(30);
  /** How long the view takes to start reading: as a restart over a long status topic, where the claim asks faster. */
  private static final Duration SLOW_VIEW = Duration.ofSeconds(8);
  private static final String WORKER = "claim-loop-it";
  private final Devstack.Endpoints stack = Devstack.shared();
  private KilnTopics topics;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @BeforeEach
  void createTopicsAndGroup() throws Exception {
    topics = WorkerTopics.create("loop", LOCK);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  @Test
  void aRequestWhoseBuildEndedBeforeTheWorkerStarted_isAcknowledged_notBuiltAgain() throws Exception {
    // Before: the slot claimed at once, asked the view within the renew interval, got no answer and built again.
    String buildId = UUID.randomUUID().toString();
    KafkaProducer<String, SpecificRecord> producer = producer();
    producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, TerminalBuildsIT.ended(buildId))).get();
    long requestOffset = producer.send(new ProducerRecord<>(topics.buildRequests(SizeClass.SMALL), buildId,
        request(buildId))).get().offset();

    CountDownLatch viewStarts = new CountDownLatch(1);
    TerminalBuilds view = slowView(viewStarts);
    ClaimLoop slot = slot(producer, view);
    Thread thread = new Thread(slot, "claim-loop-it");
    thread.start();
    closing.add(() -> {
      slot.stop();
      thread.join(Duration.ofSeconds(30).toMillis());
    });
    viewStarts.countDown();

    await("the request acknowledged").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
        .until(() -> acknowledgedPast(requestOffset));
    assertThat(view.caughtUp()).isTrue();
    assertThat(statusEventsOf(buildId)).as("status events of the ended build").singleElement()
        .satisfies(status -> assertThat(status.getStatus()).isEqualTo(BuildStatus.ACTIVE));
  }

  /** The worker's view, whose reader starts only {@link #SLOW_VIEW} after {@code starts} opens. */
  private TerminalBuilds slowView(CountDownLatch starts) {
    Map<String, Object> watermarks = KilnSerdes.consumer(stack.kafka(), stack.registryUrl());
    watermarks.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    TerminalBuilds view = new TerminalBuilds(() -> {
      try {
        starts.await();
        Thread.sleep(SLOW_VIEW.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()));
    }, () -> new KafkaConsumer<>(watermarks), topics.buildStatus()).start();
    closing.add(view);
    return view;
  }

  /** One slot wired as the worker wires it; what would build has no engine, so a build that starts fails. */
  private ClaimLoop slot(KafkaProducer<String, SpecificRecord> producer, TerminalBuilds view) {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    ExecutorService builds = Executors.newCachedThreadPool();
    closing.add(scheduler::shutdownNow);
    closing.add(builds::shutdownNow);
    BuildEventPublisher publisher = new BuildEventPublisher(producer, topics.buildStatus(), topics.buildLogs());
    BuildJob job = new BuildJob(publisher, null, (build, attempt) -> {
      throw new IllegalStateException("no engine in this test");
    }, null, null, Optional.empty(), null, WORKER, Clock.systemUTC(), scheduler, LogLimits.DEFAULT);
    WorkerCapacity capacity = new WorkerCapacity(new WorkerCapacity.Amount(2, 4096, 20), 1);
    HeartbeatPublisher heartbeats = new HeartbeatPublisher(producer, topics.workers(), WORKER, "engine", capacity,
        Duration.ofSeconds(2), Clock.systemUTC());
    return new ClaimLoop(() -> new KafkaShareConsumer<>(
        ShareGroupSetup.memberSettings(stack.kafka(), stack.registryUrl(), topics.workerShareGroup(SizeClass.SMALL))),
        topics.buildRequests(SizeClass.SMALL), job, view, Duration.ofMillis(200),
        new CapacityTracker(capacity, heartbeats),
        new BuildSupervisor(id -> false, view::markTerminal, builds, Duration.ofSeconds(2), Duration.ofMinutes(1),
            Clock.systemUTC()));
  }

  private KafkaProducer<String, SpecificRecord> producer() {
    KafkaProducer<String, SpecificRecord> producer =
        new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()));
    closing.add(producer);
    return producer;
  }

  /**
   * Whether the share group has nothing left to deliver up to the request: it was acknowledged (or archived), not
   * just released. The broker reports that as no lag; its start offset is not moved past a last record.
   */
  private boolean acknowledgedPast(long offset) throws Exception {
    String group = topics.workerShareGroup(SizeClass.SMALL);
    try (Admin admin = Admin.create(stack.kafka())) {
      Map<TopicPartition, SharePartitionOffsetInfo> offsets = admin.listShareGroupOffsets(
          Map.of(group, new ListShareGroupOffsetsSpec())).partitionsToOffsetInfo(group).get();
      SharePartitionOffsetInfo info = offsets.get(new TopicPartition(topics.buildRequests(SizeClass.SMALL), 0));
      return info != null && (info.startOffset() > offset || info.lag().orElse(-1L) == 0);
    }
  }

  /** Every status event of the build on the status topic. */
  private List<BuildStatusChanged> statusEventsOf(String buildId) {
    Map<String, Object> config = KilnSerdes.consumer(stack.kafka(), stack.registryUrl());
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topics.buildStatus()).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<BuildStatusChanged> events = new ArrayList<>();
      while (partitions.stream().anyMatch(partition -> consumer.position(partition) < ends.get(partition))) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
          if (record.value() instanceof BuildStatusChanged status && status.getBuildId().equals(buildId)) {
            events.add(status);
          }
        }
      }
      return events;
    }
  }

  private static BuildRequested request(String buildId) {
    return BuildRequested.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("default")
        .setTemplateName("ended").setRequestId("r-" + buildId).setRequestedAt(Instant.now())
        .setFromImage("busybox:latest").setResources(new Resources(1, 512, 1)).setSteps(List.of()).build();
  }
}
