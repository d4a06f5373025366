package dev.kiln.schema.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every partition of some topics from the beginning, without a consumer group, on its own thread, and hands
 * each record to a handler: how a gateway builds its projections and a worker its views of the fleet. It waits out
 * broker outages, skips records it cannot decode or handle, and tells when it has read what was there at start.
 */
public final class TopicTailer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TopicTailer.class);
  private final String name;
  private final Supplier<KafkaConsumer<String, Object>> consumers;
  private final List<String> topics;
  private final Consumer<ConsumerRecord<String, Object>> handler;
  private final Duration pollTimeout;
  private final Thread thread;
  private volatile KafkaConsumer<String, Object> consumer;
  private volatile boolean caughtUp;
  private volatile boolean running = true;
  /** How far each partition has been handled: the position after the last poll's records went to the handler. */
  private final Map<TopicPartition, Long> handledUpTo = new java.util.concurrent.ConcurrentHashMap<>();
  private final Object progress = new Object();
  /** How long a record that does not decode is read again before it is skipped. */
  private static final Duration UNDECODABLE_PATIENCE = Duration.ofSeconds(30);
  private TopicPartition failingPartition;
  private long failingOffset = -1;
  private long failingSince;

  /** A tailer polling every {@code pollTimeout}: short where a record must act fast (a cancel). */
  public TopicTailer(String name, Supplier<KafkaConsumer<String, Object>> consumers, List<String> topics,
      Consumer<ConsumerRecord<String, Object>> handler, Duration pollTimeout) {
    this.name = name;
    this.consumers = consumers;
    this.topics = topics;
    this.handler = handler;
    this.pollTimeout = pollTimeout;
    this.thread = new Thread(this::run, "tail-" + name);
    this.thread.setDaemon(true);
  }

  public TopicTailer start() {
    thread.start();
    return this;
  }

  /** True once everything that was in the topics when this tailer started has been handled. */
  public boolean caughtUp() {
    return caughtUp;
  }

  /**
   * Waits until every record below {@code ends} (offsets per partition, as {@code endOffsets} gave them) has been
   * handled; false if that took longer than {@code timeout}.
   */
  public boolean awaitHandled(Map<TopicPartition, Long> ends, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (progress) {
      while (!ends.entrySet().stream().allMatch(end -> handledUpTo.getOrDefault(end.getKey(), -1L) >= end.getValue())) {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
          return false;
        }
        progress.wait(left);
      }
      return true;
    }
  }

  private void run() {
    try (KafkaConsumer<String, Object> owned = consumers.get()) {
      consumer = owned;
      List<TopicPartition> partitions = awaitPartitions(owned);
      owned.assign(partitions);
      owned.seekToBeginning(partitions);
      Map<TopicPartition, Long> startEnds = untilKafkaAnswers(() -> owned.endOffsets(partitions));
      while (running) {
        untilKafkaAnswers(() -> {
          pollOnce(owned);
          if (!caughtUp) {
            caughtUp = startEnds.entrySet().stream().allMatch(end -> owned.position(end.getKey()) >= end.getValue());
          }
          return null;
        });
      }
    } catch (WakeupException | InterruptedException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("tailer {} stopped", name, e);
    }
  }

  /**
   * Runs {@code call} until it gets past a Kafka timeout: the tailer waits out a broker outage (at start-up
   * too) instead of stopping for good.
   */
  private <T> T untilKafkaAnswers(Supplier<T> call) throws InterruptedException {
    while (true) {
      try {
        return call.get();
      } catch (TimeoutException e) {
        log.warn("tailer {} waiting for Kafka: {}", name, e.getMessage());
        Thread.sleep(1000);
      }
    }
  }

  /** The topics' partitions, once they exist: topics are created by whichever service starts first. */
  private List<TopicPartition> awaitPartitions(KafkaConsumer<String, Object> owned) throws InterruptedException {
    while (running) {
      List<TopicPartition> partitions = untilKafkaAnswers(() -> topics.stream()
          .flatMap(topic -> owned.partitionsFor(topic, Duration.ofSeconds(10)).stream()
              .map(info -> new TopicPartition(topic, info.partition())))
          .toList());
      if (partitions.stream().map(TopicPartition::topic).distinct().count() == topics.size()) {
        return partitions;
      }
      Thread.sleep(200);
    }
    return List.of();
  }

  private void pollOnce(KafkaConsumer<String, Object> owned) {
    try {
      for (ConsumerRecord<String, Object> record : owned.poll(pollTimeout)) {
        handle(record);
      }
      // Positions are asked outside the monitor: position() may wait on the broker, a waiter must not wait on that.
      Map<TopicPartition, Long> positions = new java.util.HashMap<>();
      for (TopicPartition partition : owned.assignment()) {
        positions.put(partition, owned.position(partition));
      }
      synchronized (progress) {
        handledUpTo.putAll(positions);
        progress.notifyAll();
      }
    } catch (RecordDeserializationException e) {
      undecodable(owned, e);
    }
  }

  /**
   * A record that does not decode is read again for a while before it is skipped: the schema registry may be away
   * for a moment, and a view that skipped a record it could have read would answer wrongly from then on (a worker
   * would take an ended build for one still running). Until then the view does not move past it.
   */
  private void undecodable(KafkaConsumer<String, Object> owned, RecordDeserializationException e) {
    long now = System.nanoTime();
    if (!e.topicPartition().equals(failingPartition) || e.offset() != failingOffset) {
      failingPartition = e.topicPartition();
      failingOffset = e.offset();
      failingSince = now;
    }
    if (now - failingSince < UNDECODABLE_PATIENCE.toNanos()) {
      log.warn("tailer {} cannot decode {}@{} yet; reading it again: {}", name, e.topicPartition(), e.offset(),
          e.getMessage());
      owned.seek(e.topicPartition(), e.offset());
      pauseQuietly();
      return;
    }
    log.warn("tailer {} skipped undecodable {}@{}: {}", name, e.topicPartition(), e.offset(), e.getMessage());
    owned.seek(e.topicPartition(), e.offset() + 1);
  }

  private static void pauseQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(ConsumerRecord<String, Object> record) {
    try {
      handler.accept(record);
    } catch (RuntimeException e) {
      // One unreadable event must not stop the view of every other one.
      log.warn("tailer {} skipped {}-{}@{}: {}", name, record.topic(), record.partition(), record.offset(),
          e.toString());
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    KafkaConsumer<String, Object> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    thread.join(5000);
  }
}
