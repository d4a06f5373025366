package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The builds that already ended, read from the whole status topic: a request redelivered after its build finished
 * is acknowledged without building it again.
 */
public final class TerminalBuilds implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TerminalBuilds.class);
  private final Set<String> terminal = ConcurrentHashMap.newKeySet();
  private final Supplier<KafkaConsumer<String, Object>> consumers;
  private final String topic;
  private final Thread thread;
  private volatile KafkaConsumer<String, Object> consumer;
  private volatile boolean running = true;

  public TerminalBuilds(Supplier<KafkaConsumer<String, Object>> consumers, String topic) {
    this.consumers = consumers;
    this.topic = topic;
    this.thread = new Thread(this::run, "terminal-builds");
    this.thread.setDaemon(true);
  }

  public TerminalBuilds start() {
    thread.start();
    return this;
  }

  public boolean isTerminal(String buildId) {
    return terminal.contains(buildId);
  }

  /** Records an end this worker wrote itself, without waiting for it to come back from the topic. */
  public void markTerminal(String buildId) {
    terminal.add(buildId);
  }

  private void run() {
    try (KafkaConsumer<String, Object> owned = consumers.get()) {
      consumer = owned;
      List<TopicPartition> partitions = List.of();
      while (running && partitions.isEmpty()) {
        partitions = owned.partitionsFor(topic, Duration.ofSeconds(10)).stream()
            .map(info -> new TopicPartition(topic, info.partition())).toList();
      }
      owned.assign(partitions);
      owned.seekToBeginning(partitions);
      while (running) {
        pollOnce(owned);
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      log.error("terminal-build view stopped", e);
    }
  }

  private void pollOnce(KafkaConsumer<String, Object> owned) {
    try {
      for (ConsumerRecord<String, Object> record : owned.poll(Duration.ofMillis(500))) {
        if (record.value() instanceof BuildStatusChanged status && status.getStatus() != BuildStatus.BUILDING) {
          terminal.add(status.getBuildId());
        }
      }
    } catch (RecordDeserializationException e) {
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
