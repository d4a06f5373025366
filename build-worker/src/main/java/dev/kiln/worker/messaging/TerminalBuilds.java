package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The builds that already ended, read from the whole status topic: a request redelivered after its build finished
 * is acknowledged without building it again.
 */
public final class TerminalBuilds implements AutoCloseable {
  private final Set<String> terminal = ConcurrentHashMap.newKeySet();
  private final WholeTopicReader reader;

  public TerminalBuilds(Supplier<KafkaConsumer<String, Object>> consumers, String topic) {
    this.reader = new WholeTopicReader("terminal-builds", consumers, topic, this::accept, Duration.ofMillis(500));
  }

  public TerminalBuilds start() {
    reader.start();
    return this;
  }

  public boolean isTerminal(String buildId) {
    return terminal.contains(buildId);
  }

  /** Records an end this worker wrote itself, without waiting for it to come back from the topic. */
  public void markTerminal(String buildId) {
    terminal.add(buildId);
  }

  private void accept(Object event) {
    if (event instanceof BuildStatusChanged status && status.getStatus() != BuildStatus.BUILDING) {
      terminal.add(status.getBuildId());
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
