package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.ImageRepositories;
import dev.kiln.schema.kafka.TopicTailer;
import dev.kiln.template.TemplateNames;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes a deleted template's image tags from this node (and the fleet's registry, when there is one): the
 * templates topic's tombstone for org/name means {@code kiln/<org>/<name>:*} should be gone everywhere.
 */
public final class TemplateDeletions implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(TemplateDeletions.class);
  private final List<ImageRepositories> places;
  private final TopicTailer reader;
  private final long startedAt = System.currentTimeMillis();

  public TemplateDeletions(Supplier<KafkaConsumer<String, Object>> consumers, String topic,
      List<ImageRepositories> places) {
    this.places = places;
    this.reader = new TopicTailer("template-deletions", consumers, List.of(topic), this::accept, Duration.ofMillis(500));
  }

  public TemplateDeletions start() {
    reader.start();
    return this;
  }

  private void accept(ConsumerRecord<String, Object> record) {
    if (record.value() != null || record.key() == null || !record.key().contains("/")) {
      return;
    }
    // An old tombstone may be followed by a new template of the same name: act on deletions as they happen only.
    if (record.timestamp() < startedAt - 10_000) {
      return;
    }
    int slash = record.key().indexOf('/');
    String repository =
        TemplateNames.imageRepository(record.key().substring(0, slash), record.key().substring(slash + 1));
    for (ImageRepositories place : places) {
      try {
        int removed = place.removeRepository(repository);
        if (removed > 0) {
          log.info("template {} deleted: removed {} tag(s) of {}", record.key(), removed, repository);
        }
      } catch (EngineException e) {
        log.warn("template {} deleted, but some of its tags stay: {}", record.key(), e.getMessage());
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
