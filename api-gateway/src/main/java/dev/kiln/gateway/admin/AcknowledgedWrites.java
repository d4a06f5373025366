package dev.kiln.gateway.admin;

import dev.kiln.gateway.refusal.Unavailable;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** Writes an admin change and waits for the broker's acknowledgement: the answer never promises an unwritten one. */
final class AcknowledgedWrites {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);

  private AcknowledgedWrites() {}

  /** Sends and waits for the acknowledgement, or answers 503. */
  static void send(KafkaTemplate<String, SpecificRecord> kafka, String topic, String key, SpecificRecord value) {
    try {
      kafka.send(topic, key, value).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while writing to Kafka");
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      // RuntimeException: send() itself throws when the producer cannot get metadata within max.block.ms.
      throw new Unavailable("Kafka did not take the change in time, retry later");
    }
  }
}
