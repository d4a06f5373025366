package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.TopicTailer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;

/**
 * The builds that already ended, read from the whole status topic: a request redelivered after its build finished
 * is acknowledged without building it again. Also the latest attempt of each build still running, by which a
 * superseded attempt's container is known.
 */
public final class TerminalBuilds implements TerminalWriter.EndView, AutoCloseable {
  private final Set<String> terminal = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> runningAttempts = new ConcurrentHashMap<>();
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
    return terminal.contains(buildId);
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
    if (terminal.contains(buildId)) {
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
    if (terminal.contains(buildId)) {
      return End.ENDED;
    }
    return complete ? End.NOT_ENDED : End.UNKNOWN;
  }

  private End unknownUnlessSeen(String buildId) {
    return terminal.contains(buildId) ? End.ENDED : End.UNKNOWN;
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
    return runningAttempts.getOrDefault(buildId, 0);
  }

  /** Whether the view holds every end written before this worker started. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  /** Records an end this worker wrote itself, without waiting for it to come back from the topic. */
  @Override
  public void markTerminal(String buildId) {
    terminal.add(buildId);
  }

  private void accept(Object event) {
    if (!(event instanceof BuildStatusChanged status)) {
      return;
    }
    if (status.getStatus() != BuildStatus.BUILDING) {
      terminal.add(status.getBuildId());
      runningAttempts.remove(status.getBuildId());
    } else if (!terminal.contains(status.getBuildId())) {
      runningAttempts.merge(status.getBuildId(), status.getAttempt(), Math::max);
    }
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
