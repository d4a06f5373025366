package dev.kiln.gateway.projection;

import dev.kiln.schema.WorkerHeartbeat;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** The workers that are alive now, from their heartbeats: silent for three of its intervals, a worker is dead. */
public final class WorkerView {
  private static final int MISSED_BEATS = 3;
  private final Map<String, WorkerHeartbeat> latest = new ConcurrentHashMap<>();
  private final Clock clock;

  public WorkerView(Clock clock) {
    this.clock = clock;
  }

  public void accept(ConsumerRecord<String, Object> record) {
    if (record.value() == null) {
      latest.remove(record.key());
    } else if (record.value() instanceof WorkerHeartbeat heartbeat) {
      latest.merge(heartbeat.getWorkerId(), heartbeat,
          (old, next) -> next.getSentAt().isBefore(old.getSentAt()) ? old : next);
    }
  }

  /** Heartbeats of the workers alive now. */
  public List<WorkerHeartbeat> live() {
    var now = clock.instant();
    return latest.values().stream()
        .filter(beat -> beat.getSentAt().plus(Duration.ofMillis((long) MISSED_BEATS * beat.getIntervalMs())).isAfter(now))
        .toList();
  }
}
