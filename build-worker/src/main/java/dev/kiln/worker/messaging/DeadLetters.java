package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordDeserializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ends the builds whose request the share group archived after its last delivery (the broker copies it to the
 * dead-letter topic): failed with {@code delivery_exhausted}, unless the build already ended, so that no build stays
 * {@code building} forever. The workers share the topic through one consumer group: each dead letter is handled once.
 */
public final class DeadLetters implements AutoCloseable {
  static final String DELIVERY_COUNT_HEADER = "__dlq.errors.delivery.count";
  private static final Logger log = LoggerFactory.getLogger(DeadLetters.class);
  private final Supplier<KafkaConsumer<String, Object>> consumers;
  private final String topic;
  private final TerminalBuilds terminal;
  private final TerminalWriter ends;
  private final Clock clock;
  private final Thread thread;
  private volatile KafkaConsumer<String, Object> consumer;
  private volatile boolean running = true;

  /** {@code consumers} make consumers of one group, without auto-commit. */
  public DeadLetters(Supplier<KafkaConsumer<String, Object>> consumers, String topic, TerminalBuilds terminal,
      TerminalWriter ends, Clock clock) {
    this.consumers = consumers;
    this.topic = topic;
    this.terminal = terminal;
    this.ends = ends;
    this.clock = clock;
    this.thread = new Thread(this::run, "dead-letters");
    thread.setDaemon(true);
  }

  public DeadLetters start() {
    thread.start();
    return this;
  }

  private void run() {
    try (KafkaConsumer<String, Object> owned = consumers.get()) {
      consumer = owned;
      // A build that ended before this worker started must be known as ended before any dead letter is judged.
      while (running && !terminal.caughtUp()) {
        Thread.sleep(200);
      }
      owned.subscribe(List.of(topic));
      while (running) {
        try {
          handleBatch(owned);
        } catch (WakeupException closing) {
          throw closing;
        } catch (KafkaException e) {
          // Kafka away: the batch was not committed; read it again once it is back (written ends are not repeated).
          log.warn("dead letters not handled yet: {}", e.toString());
          Thread.sleep(1000);
          rewindToCommitted(owned);
        }
      }
    } catch (WakeupException | InterruptedException stopping) {
      // closing
    } catch (RuntimeException e) {
      log.error("dead-letter handling stopped", e);
    }
  }

  /**
   * Ends the batch's builds, then commits. A crash in between handles the batch again; the terminal writer finds
   * those ends written and writes none twice.
   */
  private void handleBatch(KafkaConsumer<String, Object> owned) throws InterruptedException {
    boolean handled = false;
    try {
      for (ConsumerRecord<String, Object> record : owned.poll(Duration.ofMillis(500))) {
        handle(record);
        handled = true;
      }
    } catch (RecordDeserializationException e) {
      log.error("skipped undecodable dead letter {}@{}: {}", e.topicPartition(), e.offset(), e.getMessage());
      owned.seek(e.topicPartition(), e.offset() + 1);
    }
    if (handled) {
      owned.commitSync();
    }
  }

  private void rewindToCommitted(KafkaConsumer<String, Object> owned) {
    try {
      owned.committed(owned.assignment()).forEach((partition, committed) -> {
        if (committed == null) {
          owned.seekToBeginning(List.of(partition));
        } else {
          owned.seek(partition, committed);
        }
      });
    } catch (KafkaException e) {
      log.warn("could not rewind the dead-letter reader yet: {}", e.toString());
    }
  }

  private void handle(ConsumerRecord<String, Object> record) throws InterruptedException {
    if (!(record.value() instanceof BuildRequested request)) {
      log.error("dead letter {}@{} carries no build request (key {}); its build cannot be ended here",
          record.partition(), record.offset(), record.key());
      return;
    }
    if (terminal.isTerminal(request.getBuildId())) {
      return;
    }
    int deliveries = deliveryCount(record);
    log.warn("build {} was delivered {} times and never finished: ending it failed", request.getBuildId(), deliveries);
    BuildOutcome outcome = BuildOutcome.failed(FailureReason.DELIVERY_EXHAUSTED,
        "the build request was delivered " + deliveries + " times and no worker finished it", null);
    // Fences a last attempt frozen before its end, as any later attempt would. This is the build's last writer: an
    // attempt that took the build over meanwhile may still die before its end, so write until the build has one.
    BuildStatusChanged end = new StatusEvents(request, deliveries, null, clock).terminal(outcome, 0, 0);
    while (ends.write(end) == TerminalWriter.Result.SUPERSEDED) {
      Thread.sleep(1000);
    }
  }

  static int deliveryCount(ConsumerRecord<String, Object> record) {
    Header header = record.headers().lastHeader(DELIVERY_COUNT_HEADER);
    try {
      return header == null ? 0 : Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    KafkaConsumer<String, Object> current = consumer;
    if (current != null) {
      current.wakeup();
    }
    thread.interrupt();
    thread.join(5000);
  }
}
