package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.TopicTailer;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The builds that already ended, read from the whole status topic: a request redelivered after its build finished
 * is acknowledged without building it again. Also the latest attempt of each build still running, by which a
 * superseded attempt's container is known.
 *
 * <p>Only the ends that can still matter are held: a request can come back only while it is on its request topic
 * ({@link KilnTopics#REQUEST_LIFETIME} at most), so an end older than that, with a day to spare, is dropped (and not
 * taken in when read at start). The view's memory follows the last week's builds, not the status topic's 90 days.
 */
public final class TerminalBuilds implements TerminalWriter.EndView, AutoCloseable {
  /** How long an end is kept: no request older than the request topics keep is ever delivered again. */
  public static final Duration KEPT = KilnTopics.REQUEST_LIFETIME.plus(Duration.ofDays(1));
  private static final Duration SWEEP_EVERY = Duration.ofMinutes(1);
  /** Ended builds, with when they ended. */
  private final Map<String, Instant> terminal = new ConcurrentHashMap<>();
  /** Running builds: the latest attempt seen, and when. */
  private final Map<String, Attempt> runningAttempts = new ConcurrentHashMap<>();
  private final Clock clock;
  private Instant lastSweep = Instant.EPOCH;

  /** The latest attempt seen of a running build. */
  private record Attempt(int number, Instant at) {}
  /** How long a claim waits for the view to reach the topic's end before it decides without it. */
  private static final Duration CATCH_UP = Duration.ofSeconds(10);
  private final TopicTailer reader;
  private final Supplier<KafkaConsumer<String, Object>> watermarkConsumers;
  private final String topic;
  private KafkaConsumer<String, Object> offsets;
  /** Guards {@link #offsets}: build slots ask at once, and a Kafka consumer is single-threaded. */
  private final java.util.concurrent.locks.ReentrantLock offsetsLock = new java.util.concurrent.locks.ReentrantLock();

  /**
   * {@code consumers} make the view's reader, which must read committed records only (an attempt's fenced end is
   * aborted, never an end); {@code watermarkConsumers} make the one that asks for the topic's high watermarks, which
   * must read uncommitted.
   */
  public TerminalBuilds(Supplier<KafkaConsumer<String, Object>> consumers,
      Supplier<KafkaConsumer<String, Object>> watermarkConsumers, String topic) {
    this(consumers, watermarkConsumers, topic, Clock.systemUTC());
  }

  /** As above, ageing ends by {@code clock}. */
  public TerminalBuilds(Supplier<KafkaConsumer<String, Object>> consumers,
      Supplier<KafkaConsumer<String, Object>> watermarkConsumers, String topic, Clock clock) {
    this.clock = clock;
    this.reader = new TopicTailer("terminal-builds", consumers, List.of(topic), record -> accept(record.value()),
        Duration.ofMillis(500));
    this.watermarkConsumers = watermarkConsumers;
    this.topic = topic;
  }

  public TerminalBuilds start() {
    reader.start();
    return this;
  }

  public boolean isTerminal(String buildId) {
    return terminal.containsKey(buildId);
  }

  /** What is known of a build's end by everything written to the status topic so far. */
  public enum End { ENDED, NOT_ENDED, UNKNOWN }

  /**
   * Whether the build ended, best effort within {@code within}: a request comes back when its worker's ACCEPT failed
   * after the terminal status was written (a broker restart, a frozen worker), and the view may lag behind that
   * write by seconds then. What is not known in time counts as not ended; the terminal write itself is fenced (see
   * {@link TerminalWriter}), so this only saves rebuilding what is built already.
   */
  public boolean isTerminalNow(String buildId, Duration within) throws InterruptedException {
    return endNow(buildId, within) == End.ENDED;
  }

  /** As {@link #endNow(String, Duration)}, within 10 s. */
  @Override
  public End endNow(String buildId) throws InterruptedException {
    return endNow(buildId, CATCH_UP);
  }

  public End endNow(String buildId, Duration within) throws InterruptedException {
    if (terminal.containsKey(buildId)) {
      return End.ENDED;
    }
    long deadline = System.nanoTime() + within.toNanos();
    if (!offsetsLock.tryLock(within.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      return unknownUnlessSeen(buildId);
    }
    Map<TopicPartition, Long> ends;
    try {
      ends = highWatermarks(left(deadline));
    } catch (KafkaException e) {
      return unknownUnlessSeen(buildId);
    } finally {
      offsetsLock.unlock();
    }
    boolean complete = reader.awaitHandled(ends, left(deadline));
    if (terminal.containsKey(buildId)) {
      return End.ENDED;
    }
    return complete ? End.NOT_ENDED : End.UNKNOWN;
  }

  private End unknownUnlessSeen(String buildId) {
    return terminal.containsKey(buildId) ? End.ENDED : End.UNKNOWN;
  }

  private static Duration left(long deadline) {
    return Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
  }

  /**
   * The partitions' high watermarks. Not the last stable offsets a transactional reader is given: another build's
   * open transaction holds those below an end committed after it began.
   */
  private Map<TopicPartition, Long> highWatermarks(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    if (offsets == null) {
      offsets = watermarkConsumers.get();
    }
    List<TopicPartition> partitions = offsets.partitionsFor(topic, timeout).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    return offsets.endOffsets(partitions, left(deadline));
  }

  /** The highest attempt seen for a build not yet ended, or 0. */
  public int latestAttempt(String buildId) {
    Attempt attempt = runningAttempts.get(buildId);
    return attempt == null ? 0 : attempt.number();
  }

  /** How many ended builds the view holds. */
  public int endsHeld() {
    return terminal.size();
  }

  /** Whether the view holds every end written before this worker started. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  /** Records an end this worker wrote itself, without waiting for it to come back from the topic. */
  @Override
  public void markTerminal(String buildId) {
    terminal.put(buildId, clock.instant());
  }

  private void accept(Object event) {
    if (!(event instanceof BuildStatusChanged status)) {
      return;
    }
    Instant cutoff = clock.instant().minus(KEPT);
    if (status.getStatus() != BuildStatus.BUILDING) {
      runningAttempts.remove(status.getBuildId());
      if (status.getOccurredAt().isAfter(cutoff)) {
        terminal.put(status.getBuildId(), status.getOccurredAt());
      }
    } else if (!terminal.containsKey(status.getBuildId()) && status.getOccurredAt().isAfter(cutoff)) {
      runningAttempts.merge(status.getBuildId(), new Attempt(status.getAttempt(), status.getOccurredAt()),
          (held, seen) -> seen.number() > held.number() ? seen : new Attempt(held.number(), seen.at()));
    }
    sweepIfDue(cutoff);
  }

  /** Drops what aged out, once a minute: the maps are only read by id, so nothing orders them by age. */
  private void sweepIfDue(Instant cutoff) {
    Instant now = clock.instant();
    if (Duration.between(lastSweep, now).compareTo(SWEEP_EVERY) < 0) {
      return;
    }
    lastSweep = now;
    terminal.values().removeIf(endedAt -> endedAt.isBefore(cutoff));
    runningAttempts.values().removeIf(attempt -> attempt.at().isBefore(cutoff));
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
    offsetsLock.lock();
    try {
      if (offsets != null) {
        offsets.close();
      }
    } finally {
      offsetsLock.unlock();
    }
  }
}
