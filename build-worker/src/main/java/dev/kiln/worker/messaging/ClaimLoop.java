package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildRequested;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One build slot: claims a build request through the share group only while it is free and the worker's view of
 * ended builds holds every end written before the worker started, hands the running build to its
 * {@link BuildSupervisor}, and acknowledges the request (ACCEPT) once the terminal status is written.
 */
public final class ClaimLoop implements Runnable {
  private static final Logger log = LoggerFactory.getLogger(ClaimLoop.class);
  /**
   * How long an idle slot's poll waits. Requests are written in the ledger's transactions, and the broker (4.4) does
   * not wake a waiting share fetch when such a transaction commits: a request shows up at the slot's next poll.
   * Measured here: p50 accept-to-claim 355 ms with 500 ms polls, ~1 poll interval in general; 25 ms keeps dispatch
   * in tens of milliseconds. A poll that returns empty is local: the consumer's share fetch keeps long-polling at the
   * broker, so an idle slot sends ~1.9 ShareFetch requests a second (bench/run.sh counts them), and a request is
   * claimed as its client reads the 202 (p50 0 ms, p99 11 ms after it).
   */
  private static final Duration IDLE_POLL = Duration.ofMillis(25);
  private static final Duration ENGINE_DOWN_PAUSE = Duration.ofMillis(500);
  private static final Duration VIEW_CATCH_UP_PAUSE = Duration.ofMillis(50);
  private final Supplier<KafkaShareConsumer<String, BuildRequested>> consumers;
  private final String topic;
  private final BuildJob job;
  private final TerminalBuilds terminalBuilds;
  private final Duration renewInterval;
  private final CapacityTracker capacity;
  private final BuildSupervisor supervisor;
  private volatile boolean running = true;

  /** {@code topic}: the request topic of this worker's pool (see {@code SizeClass}). */
  public ClaimLoop(Supplier<KafkaShareConsumer<String, BuildRequested>> consumers, String topic, BuildJob job,
      TerminalBuilds terminalBuilds, Duration renewInterval, CapacityTracker capacity, BuildSupervisor supervisor) {
    this.consumers = consumers;
    this.topic = topic;
    this.job = job;
    this.terminalBuilds = terminalBuilds;
    this.renewInterval = renewInterval;
    this.capacity = capacity;
    this.supervisor = supervisor;
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
        pause(Duration.ofSeconds(1));
      }
    }
  }

  private void pollOnce(KafkaShareConsumer<String, BuildRequested> owned) {
    if (!capacity.mayClaim()) {
      // The engine is down: leave the requests to workers that can build them, and look again shortly.
      pause(ENGINE_DOWN_PAUSE);
      return;
    }
    if (!terminalBuilds.caughtUp()) {
      // A request claimed now could be one whose build ended before this worker started (its ACCEPT lost): only
      // the whole view of ended builds tells, and asking it per claim waits no longer than the renew interval.
      pause(VIEW_CATCH_UP_PAUSE);
      return;
    }
    try {
      for (ConsumerRecord<String, BuildRequested> record : owned.poll(IDLE_POLL)) {
        claim(new ShareClaim(owned, record), record);
      }
    } catch (RecordDeserializationException e) {
      // A request no worker can read would come back forever: archive it.
      log.error("rejecting unreadable request at {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
      owned.acknowledge(e.topicPartition().topic(), e.topicPartition().partition(), e.offset(), AcknowledgeType.REJECT);
      owned.commitSync();
    }
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
    supervisor.stop();
  }

  private void claim(ShareClaim claim, ConsumerRecord<String, BuildRequested> record) {
    BuildRequested request = record.value();
    if (!running) {
      claim.finish(ClaimEnd.RELEASE);
      return;
    }
    if (request == null || endedAlready(request.getBuildId())) {
      // Already built (a redelivery after the worker died between status and ACCEPT), or unreadable.
      claim.finish(request == null ? ClaimEnd.REJECT : ClaimEnd.ACCEPT);
      return;
    }
    int attempt = record.deliveryCount().map(Short::intValue).orElse(1);
    log.info("claimed build {} attempt {}", request.getBuildId(), attempt);
    capacity.started(request);
    try {
      claim.finish(supervisor.run(request.getBuildId(), claim, self -> job.run(request, attempt, self)));
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
}
