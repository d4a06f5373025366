package dev.kiln.gateway.messaging;

import dev.kiln.gateway.http.ApiException;
import dev.kiln.schema.BuildRequested;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Writes accepted builds to the request topic. The returned future completes only once every in-sync replica has
 * the record ({@code acks=all}), so a 202 is never answered for a build Kafka could still lose.
 */
public class BuildRequestPublisher {
  private static final Logger log = LoggerFactory.getLogger(BuildRequestPublisher.class);
  private final KafkaTemplate<String, BuildRequested> kafka;
  private final String topic;

  public BuildRequestPublisher(KafkaTemplate<String, BuildRequested> kafka, String topic) {
    this.kafka = kafka;
    this.topic = topic;
  }

  /** Completes when Kafka acknowledged the write; fails with a 503 {@link ApiException} when it did not. */
  public CompletableFuture<Void> publish(BuildRequested request) {
    try {
      return kafka.send(topic, request.getBuildId(), request)
          .<Void>thenApply(result -> null)
          .exceptionally(failure -> {
            throw unavailable(request, failure);
          });
    } catch (RuntimeException e) {
      // send() itself fails fast when metadata or the schema registry cannot be reached within max.block.ms.
      return CompletableFuture.failedFuture(unavailable(request, e));
    }
  }

  private static CompletionException unavailable(BuildRequested request, Throwable failure) {
    log.warn("build {} not queued: {}", request.getBuildId(), failure.toString());
    return new CompletionException(ApiException.unavailable("could not queue the build: the message log is unavailable, retry later"));
  }
}
