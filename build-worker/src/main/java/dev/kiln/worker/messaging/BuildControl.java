package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildCancelRequested;
import dev.kiln.schema.kafka.TopicTailer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The builds someone asked to cancel, read from the whole control topic by every worker: the worker running a
 * build stops it, and a worker that claims a cancelled build later ends it at once.
 */
public final class BuildControl implements AutoCloseable {
  private final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  private final TopicTailer reader;

  public BuildControl(Supplier<KafkaConsumer<String, Object>> consumers, String topic) {
    // Short polls: a cancel must stop its container within 2 s.
    this.reader = new TopicTailer("build-control", consumers, List.of(topic), record -> accept(record.value()), Duration.ofMillis(100));
  }

  public BuildControl start() {
    reader.start();
    return this;
  }

  public boolean isCancelled(String buildId) {
    return cancelled.contains(buildId);
  }

  private void accept(Object event) {
    if (event instanceof BuildCancelRequested cancel) {
      cancelled.add(cancel.getBuildId());
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
