package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatusChanged;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Sends a worker's status and log events, keyed by build id so that each build's events stay in order. */
public final class BuildEventPublisher {
  private final Producer<String, SpecificRecord> producer;
  private final String statusTopic;
  private final String logTopic;

  public BuildEventPublisher(Producer<String, SpecificRecord> producer, String statusTopic, String logTopic) {
    this.producer = producer;
    this.statusTopic = statusTopic;
    this.logTopic = logTopic;
  }

  public CompletableFuture<Void> status(BuildStatusChanged event) {
    return send(statusTopic, event.getBuildId(), event);
  }

  public CompletableFuture<Void> log(String buildId, SpecificRecord chunk) {
    return send(logTopic, buildId, chunk);
  }

  private CompletableFuture<Void> send(String topic, String key, SpecificRecord value) {
    CompletableFuture<Void> sent = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, key, value), (metadata, error) -> {
        if (error != null) {
          sent.completeExceptionally(error);
        } else {
          sent.complete(null);
        }
      });
    } catch (RuntimeException kafkaAway) {
      // A send that fails at once (metadata or the registry out of reach) fails its future like a late one: the
      // build's end waits on these, and a Kafka fault then gives the request back instead of ending the build.
      sent.completeExceptionally(kafkaAway);
    }
    return sent;
  }
}
