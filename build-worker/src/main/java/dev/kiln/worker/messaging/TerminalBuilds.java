package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.TopicTailer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The builds that already ended, read from the whole status topic: a request redelivered after its build finished
 * is acknowledged without building it again. Also the latest attempt of each build still running, by which a
 * superseded attempt's container is known.
 */
public final class TerminalBuilds implements AutoCloseable {
  private final Set<String> terminal = ConcurrentHashMap.newKeySet();
  private final Map<String, Integer> runningAttempts = new ConcurrentHashMap<>();
  private final TopicTailer reader;

  public TerminalBuilds(Supplier<KafkaConsumer<String, Object>> consumers, String topic) {
    this.reader = new TopicTailer("terminal-builds", consumers, List.of(topic), record -> accept(record.value()), Duration.ofMillis(500));
  }

  public TerminalBuilds start() {
    reader.start();
    return this;
  }

  public boolean isTerminal(String buildId) {
    return terminal.contains(buildId);
  }

  /** The highest attempt seen for a build not yet ended, or 0. */
  public int latestAttempt(String buildId) {
    return runningAttempts.getOrDefault(buildId, 0);
  }

  /** Whether the view holds every end written before this worker started. */
  public boolean caughtUp() {
    return reader.caughtUp();
  }

  /** Records an end this worker wrote itself, without waiting for it to come back from the topic. */
  public void markTerminal(String buildId) {
    terminal.add(buildId);
  }

  private void accept(Object event) {
    if (!(event instanceof BuildStatusChanged status)) {
      return;
    }
    if (status.getStatus() != BuildStatus.BUILDING) {
      terminal.add(status.getBuildId());
      runningAttempts.remove(status.getBuildId());
    } else if (!terminal.contains(status.getBuildId())) {
      runningAttempts.merge(status.getBuildId(), status.getAttempt(), Math::max);
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
