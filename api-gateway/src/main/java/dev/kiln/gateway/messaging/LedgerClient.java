package dev.kiln.gateway.messaging;

import dev.kiln.gateway.refusal.Unavailable;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandResult;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

/**
 * Asks the template ledger (request/reply over Kafka) and completes with its decision. The ledger writes the build
 * request itself, in the same transaction as its decision, so an accepted build is in Kafka when the reply comes.
 */
public class LedgerClient {
  private static final Logger log = LoggerFactory.getLogger(LedgerClient.class);
  private final ReplyingKafkaTemplate<String, TemplateCommand, TemplateCommandResult> kafka;
  private final String topic;
  private final AbandonedBuilds abandoned;

  public LedgerClient(ReplyingKafkaTemplate<String, TemplateCommand, TemplateCommandResult> kafka, String topic,
      AbandonedBuilds abandoned) {
    this.kafka = kafka;
    this.topic = topic;
    this.abandoned = abandoned;
  }

  /** The ledger's reply; an {@link Unavailable} when Kafka or the ledger did not answer in time. */
  public CompletableFuture<TemplateCommandResult> ask(String key, TemplateCommand command) {
    try {
      return kafka.sendAndReceive(new ProducerRecord<>(topic, key, command))
          .thenApply(reply -> reply.value())
          .exceptionally(failure -> {
            // The command may still reach the ledger (it may even have been written): the client hears 503, so
            // the build it might start must not run.
            if (command.getBuild() != null) {
              abandoned.abandon(command.getBuild());
            }
            throw unavailable(command, failure);
          });
    } catch (RuntimeException e) {
      // send() itself fails fast when metadata or the schema registry cannot be reached within max.block.ms.
      return CompletableFuture.failedFuture(unavailable(command, e));
    }
  }

  private static CompletionException unavailable(TemplateCommand command, Throwable failure) {
    log.warn("template command {} for {} got no answer: {}", command.getCommandId(), command.getTemplateName(),
        failure.toString());
    return new CompletionException(new Unavailable("the build queue did not answer in time, retry later"));
  }
}
