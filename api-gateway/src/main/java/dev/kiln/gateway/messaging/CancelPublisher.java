package dev.kiln.gateway.messaging;

import dev.kiln.gateway.refusal.Unavailable;
import dev.kiln.schema.BuildCancelRequested;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** Writes cancel requests to the control topic that every worker reads; completes once Kafka has them. */
public class CancelPublisher {
  private final KafkaTemplate<String, SpecificRecord> kafka;
  private final String topic;

  public CancelPublisher(KafkaTemplate<String, SpecificRecord> kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  public CompletableFuture<Void> cancel(BuildCancelRequested request) {
    try {
      return kafka.send(topic, request.getBuildId(), request).<Void>thenApply(sent -> null)
          .exceptionally(failure -> {
            throw new CompletionException(new Unavailable("could not record the cancel request, retry later"));
          });
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(new Unavailable("could not record the cancel request, retry later"));
    }
  }
}
