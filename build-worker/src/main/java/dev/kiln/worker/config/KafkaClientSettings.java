package dev.kiln.worker.config;

import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.worker.messaging.ShareGroupSetup;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;

/** The settings of each kind of Kafka client the worker opens, and why they differ from the defaults. */
final class KafkaClientSettings {
  private KafkaClientSettings() {}

  /** The build events' producer: a short linger batches a build's log chunks. */
  static Map<String, Object> eventProducer(WorkerProperties properties) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return config;
  }

  static Map<String, Object> heartbeatProducer(WorkerProperties properties) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "kiln-worker-heartbeats-" + UUID.randomUUID());
    return config;
  }

  /**
   * A producer for one end: a transaction of a few milliseconds. Its timeout bounds how long an end left open by a
   * frozen writer holds back every transactional reader of its partition; its waits are short because the writer
   * retries on its own.
   */
  static Map<String, Object> terminalProducer(WorkerProperties properties, String transactionalId) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 1 << 20);
    return config;
  }

  /** A consumer behind a view of a whole topic: it keeps its own position, nothing is committed. */
  static Map<String, Object> viewConsumer(WorkerProperties properties) {
    Map<String, Object> config = KilnSerdes.consumer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  /** A view consumer that sees uncommitted records too: it reads a topic's end as it is now. */
  static Map<String, Object> watermarkConsumer(WorkerProperties properties) {
    Map<String, Object> config = viewConsumer(properties);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return config;
  }

  static Map<String, Object> deadLetterConsumer(WorkerProperties properties, KilnTopics topics) {
    Map<String, Object> config = viewConsumer(properties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, topics.deadLetterGroup());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Each dead letter is a fenced write of a few hundred milliseconds: keep a batch well inside the poll interval.
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    return config;
  }

  /** A build slot's consumer, in the share group of the worker's pool. */
  static Map<String, Object> shareConsumer(WorkerProperties properties, KilnTopics topics, SizeClass pool) {
    return ShareGroupSetup.memberSettings(properties.kafka(), properties.schemaRegistryUrl(),
        topics.workerShareGroup(pool));
  }
}
