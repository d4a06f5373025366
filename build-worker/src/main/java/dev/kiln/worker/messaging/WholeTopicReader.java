package dev.kiln.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads every partition of one topic from the beginning, without a consumer group, on its own thread. */
final class WholeTopicReader implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WholeTopicReader.class);
  private final Supplier<KafkaConsumer<String, Object>> consumers;
  private final String topic;
  private final Consumer<ConsumerRecord<String, Object>> handler;
  private final Duration pollTimeout;
  private final Thread thread;
  private volatile KafkaConsumer<String, Object> consumer;
  private volatile boolean running = true;
  private volatile boolean caughtUp;

  /** A reader that hands each record's value to {@code values}. */
  WholeTopicReader(String name, Supplier<KafkaConsumer<String, Object>> consumers, String topic,
      Consumer<Object> values, Duration pollTimeout) {
    this(name, consumers, topic, values, pollTimeout, null);
  }

  /** A reader that hands whole records (keys, tombstones) to {@code records} when {@code values} is null. */
  WholeTopicReader(String name, Supplier<KafkaConsumer<String, Object>> consumers, String topic,
      Consumer<Object> values, Duration pollTimeout, Consumer<ConsumerRecord<String, Object>> records) {
    this.consumers = consumers;
    this.topic = topic;
    this.handler = records != null ? records : record -> values.accept(record.value());
    this.pollTimeout = pollTimeout;
    this.thread = new Thread(this::run, name);
    this.thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    try (KafkaConsumer<String, Object> owned = consumers.get()) {
      consumer = owned;
      List<TopicPartition> partitions = List.of();
      while (running && partitions.isEmpty()) {
        // Topics are created by whichever service starts first.
        partitions = owned.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
      }
      owned.assign(partitions);
      owned.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = owned.endOffsets(partitions);
      while (running) {
        pollOnce(owned);
        caughtUp = caughtUp || partitions.stream().allMatch(p -> owned.position(p) >= ends.get(p));
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("reader of {} stopped", topic, e);
    }
  }

  /** Whether everything that was in the topic when reading began has been handed over. */
  boolean caughtUp() {
    return caughtUp;
  }

  private void pollOnce(KafkaConsumer<String, Object> owned) {
    try {
      for (ConsumerRecord<String, Object> record : owned.poll(pollTimeout)) {
        handler.accept(record);
      }
    } catch (RecordDeserializationException e) {
      log.warn("skipped undecodable {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
      owned.seek(e.topicPartition(), e.offset() + 1);
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
