package dev.kiln.worker.messaging;

import dev.kiln.schema.WorkerHeartbeat;
import java.time.Clock;
import dev.kiln.schema.kafka.TopicTailer;
import java.time.Duration;
import java.util.List;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * The fleet's worker processes as their heartbeats tell them, read from the whole workers topic: which process is
 * the current one of each worker id, and when this worker last heard from it (by its own clock, so that clock skew
 * between machines cannot make a live worker look dead).
 */
public final class WorkerDirectory implements AutoCloseable {
  private final Map<String, Heard> byWorkerId = new ConcurrentHashMap<>();
  private final TopicTailer reader;
  private final Clock clock;

  /** The current process of one worker id and when it was last heard from. */
  private record Heard(String instance, Instant at) {}

  public WorkerDirectory(Supplier<KafkaConsumer<String, Object>> consumers, String topic, Clock clock) {
    this.clock = clock;
    this.reader = new TopicTailer("worker-directory", consumers, List.of(topic), this::accept, Duration.ofMillis(500));
  }

  public WorkerDirectory start() {
    reader.start();
    return this;
  }

  public boolean caughtUp() {
    return reader.caughtUp();
  }

  /** When {@code instance} was last heard from; empty once it stopped, was replaced, or was never heard of. */
  public Optional<Instant> lastHeard(String instance) {
    return byWorkerId.values().stream().filter(heard -> heard.instance().equals(instance)).map(Heard::at).findAny();
  }

  private void accept(ConsumerRecord<String, Object> record) {
    if (record.value() instanceof WorkerHeartbeat beat) {
      byWorkerId.put(record.key(), new Heard(HeartbeatPublisher.instanceOf(beat.getWorkerId(), beat.getStartedAt()),
          clock.instant()));
    } else if (record.value() == null) {
      byWorkerId.remove(record.key());
    }
  }

  @Override
  public void close() throws InterruptedException {
    reader.close();
  }
}
