package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.schema.BuildRequested;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build slot: claims a build request through the share group only while it is free, keeps the claim's lock
 * alive (RENEW) while the build runs, and acknowledges it (ACCEPT) once the terminal status is written. A lost
 * lock aborts the build at once: the request is being redelivered to another worker.
 */
public final class ClaimLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
  private final Supplier<KafkaShareConsumer<String, BuildRequested>> consumers;
  private final String topic;
  private final BuildJob job;
  private static final long SUPERVISE_MILLIS = 200;
  /**
   * How long an idle slot's poll waits. Requests are written in the ledger's transactions, and the broker (4.4) does
   * not wake a waiting share fetch when such a transaction commits: a request shows up at the slot's next poll.
   * Measured here: p50 accept-to-claim 355 ms with 500 ms polls, ~1 poll interval in general; 25 ms keeps dispatch
   * in tens of milliseconds for ~40 cheap polls a second per idle slot.
   */
  private static final Duration IDLE_POLL = Duration.ofMillis(25);
  private static final Duration ENGINE_DOWN_PAUSE = Duration.ofMillis(500);
  private final TerminalBuilds terminalBuilds;
  private final BuildControl control;
  private final ExecutorService builds;
  private final Duration renewInterval;
  private final Duration buildTimeout;
  private final CapacityTracker capacity;
  private volatile boolean running = true;

  public ClaimLoop(Supplier<KafkaShareConsumer<String, BuildRequested>> consumers, String topic, BuildJob job,
      TerminalBuilds terminalBuilds, BuildControl control, ExecutorService builds, Duration renewInterval,
      Duration buildTimeout, CapacityTracker capacity) {
    this.capacity = capacity;
    this.consumers = consumers;
    this.topic = topic;
    this.job = job;
    this.terminalBuilds = terminalBuilds;
    this.control = control;
    this.builds = builds;
    this.renewInterval = renewInterval;
    this.buildTimeout = buildTimeout;
  }

  @Override
  public void run() {
    while (running) {
      // A consumer left in a bad state is replaced: a new one holds no records, the broker redelivers them.
      try (KafkaShareConsumer<String, BuildRequested> owned = consumers.get()) {
        owned.subscribe(List.of(topic));
        while (running) {
          pollOnce(owned);
        }
      } catch (WakeupException e) {
        return;
      } catch (RuntimeException e) {
        log.error("build slot failed; reconnecting in 1 s", e);
        pause();
      }
    }
  }

  private void pollOnce(KafkaShareConsumer<String, BuildRequested> owned) {
    if (!capacity.mayClaim()) {
      // The engine is down: leave the requests to workers that can build them, and look again shortly.
      pause(ENGINE_DOWN_PAUSE);
      return;
    }
    try {
      for (ConsumerRecord<String, BuildRequested> record : owned.poll(IDLE_POLL)) {
        claim(owned, record);
      }
    } catch (RecordDeserializationException e) {
      // A request no worker can read would come back forever: archive it.
      log.error("rejecting unreadable request at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
      owned.acknowledge(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(), AcknowledgeType.REJECT);
      owned.commitSync();
    }
  }

  private static void pause() {
    pause(Duration.ofSeconds(1));
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Stops claiming; a build in progress is stopped and its request released for another worker. */
  public void stop() {
    running = false;
  }

  private void claim(KafkaShareConsumer<String, BuildRequested> owned, ConsumerRecord<String, BuildRequested> record) {
    BuildRequested request = record.value();
    if (!running) {
      finish(owned, record, AcknowledgeType.RELEASE);
      return;
    }
    if (request == null || endedAlready(request.getBuildId())) {
      // Already built (a redelivery after the worker died between status and ACCEPT), or unreadable.
      finish(owned, record, request == null ? AcknowledgeType.REJECT : AcknowledgeType.ACCEPT);
      return;
    }
    int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
    log.info("claimed build {} attempt {}", request.getBuildId(), attempt);
    // A build cancelled before any worker claimed it ends at once, with its terminal status.
    BuildOutcome cancelled = control.isCancelled(request.getBuildId())
        ? BuildOutcome.failed(FailureReason.CANCELLED, "cancelled by request", null) : null;
    capacity.started(request);
    try {
      RunningBuild build = RunningBuild.start(builds, cancelled, self -> job.run(request, attempt, self));
      Claim claim = new Claim(record);
      finish(owned, claim.record, superviseBuild(owned, claim, build));
    } finally {
      capacity.finished(request.getBuildId());
    }
  }

  /**
   * Asked of the whole status topic as it is now, not of a view that may lag it by seconds. Bounded by the renew
   * interval: nothing renews the claim's lock until the build starts.
   */
  private boolean endedAlready(String buildId) {
    try {
      return terminalBuilds.isTerminalNow(buildId, renewInterval);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return terminalBuilds.isTerminal(buildId);
    }
  }

  /** The record this slot holds; a RENEW makes the client hand out a new instance of it, which is the one to ack. */
  private static final class Claim {
    private ConsumerRecord<String, BuildRequested> record;
    private final long claimedAt = System.nanoTime();
    private long renewedAt = claimedAt;

    private Claim(ConsumerRecord<String, BuildRequested> record) {
      this.record = record;
    }
  }

  /**
   * Watches the build until it ends, renewing the lock on time and stopping the build when it is cancelled, times
   * out, loses its lock or the worker shuts down. The answer is how to acknowledge the request.
   */
  private AcknowledgeType superviseBuild(KafkaShareConsumer<String, BuildRequested> owned, Claim claim,
      RunningBuild build) {
    String buildId = claim.record.value().getBuildId();
    while (true) {
      try {
        build.await(SUPERVISE_MILLIS);
        terminalBuilds.markTerminal(buildId);
        return AcknowledgeType.ACCEPT;
      } catch (TimeoutException stillRunning) {
        AcknowledgeType early = checkOn(owned, claim, build, buildId);
        if (early != null) {
          return early;
        }
      } catch (ExecutionException | RuntimeException failed) {
        // Stopped without a reason (lost lock, shutdown) or Kiln's own fault: another attempt takes it.
        log.warn("build {} did not finish here", buildId, failed);
        build.stop(null);
        return AcknowledgeType.RELEASE;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        build.stop(null);
        return AcknowledgeType.RELEASE;
      }
    }
  }

  /** One supervision tick; non-null means: stop supervising and acknowledge so. */
  private AcknowledgeType checkOn(KafkaShareConsumer<String, BuildRequested> owned, Claim claim, RunningBuild build,
      String buildId) {
    if (!running) {
      build.stop(null);
      return AcknowledgeType.RELEASE;
    }
    if (control.isCancelled(buildId)) {
      build.stop(BuildOutcome.failed(FailureReason.CANCELLED, "cancelled by request", null));
    } else if (System.nanoTime() - claim.claimedAt > buildTimeout.toNanos()) {
      build.stop(BuildOutcome.failed(FailureReason.TIMEOUT, "build exceeded " + buildTimeout.toSeconds() + " s", null));
    }
    java.util.concurrent.CompletableFuture<Boolean> check = build.pendingClaimCheck();
    if (check != null || System.nanoTime() - claim.renewedAt >= renewInterval.toNanos()) {
      claim.renewedAt = System.nanoTime();
      boolean held = renew(owned, claim);
      if (check != null) {
        check.complete(held);
      }
      if (!held) {
        log.warn("lost the claim on build {}: aborting it, another worker takes over", buildId);
        build.stop(null);
        // The broker refuses this for a lock we no longer hold; it only clears the record on our side.
        return AcknowledgeType.RELEASE;
      }
    }
    return null;
  }

  /** RENEW, then poll: the client hands the renewed record back once more before it can be acknowledged again. */
  private boolean renew(KafkaShareConsumer<String, BuildRequested> owned, Claim claim) {
    try {
      owned.acknowledge(claim.record, AcknowledgeType.RENEW);
      boolean renewed = owned.commitSync().values().stream().allMatch(Optional::isEmpty);
      for (ConsumerRecord<String, BuildRequested> again : owned.poll(Duration.ZERO)) {
        if (again.offset() == claim.record.offset() && again.partition() == claim.record.partition()) {
          claim.record = again;
        } else {
          log.warn("slot got a second request {} while busy: releasing it", again.key());
          owned.acknowledge(again, AcknowledgeType.RELEASE);
        }
      }
      return renewed;
    } catch (KafkaException | IllegalStateException e) {
      log.warn("renewing the claim failed: {}", e.toString());
      return false;
    }
  }

  private void finish(KafkaShareConsumer<String, BuildRequested> owned, ConsumerRecord<String, BuildRequested> record,
      AcknowledgeType type) {
    try {
      owned.acknowledge(record, type);
      owned.commitSync().forEach((partition, error) -> error.ifPresent(e ->
          log.warn("{} of {} not committed: {}", type, record.key(), e.toString())));
    } catch (KafkaException | IllegalStateException e) {
      log.warn("{} of {} failed: {}", type, record.key(), e.toString());
    }
  }
}
