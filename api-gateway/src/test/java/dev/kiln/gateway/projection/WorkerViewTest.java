package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class WorkerViewTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  private final WorkerView view = new WorkerView(Clock.fixed(NOW, ZoneOffset.UTC));

  private void beat(String worker, Instant sentAt) {
    Resources r = new Resources(2, 4096, 10);
    WorkerHeartbeat heartbeat = WorkerHeartbeat.newBuilder().setWorkerId(worker).setVersion("t").setTotal(r)
        .setFree(r).setMaxBuild(r).setSlots(2).setFreeSlots(2).setRunningBuilds(List.of()).setIntervalMs(3000)
        .setStartedAt(sentAt).setSentAt(sentAt).build();
    view.accept(new ConsumerRecord<>("workers", 0, 0, worker, heartbeat));
  }

  @Test
  void live_afterThreeMissedBeats_dropsTheWorker() {
    beat("fresh", NOW.minusSeconds(2));
    beat("late", NOW.minusSeconds(8));
    beat("dead", NOW.minusSeconds(10));

    assertThat(view.live()).extracting(WorkerHeartbeat::getWorkerId).containsExactlyInAnyOrder("fresh", "late");
  }

  @Test
  void accept_tombstoneRemoves_andAnOlderBeatNeverReplacesANewer() {
    beat("w", NOW.minusSeconds(1));
    beat("w", NOW.minusSeconds(20));
    assertThat(view.live()).hasSize(1);

    view.accept(new ConsumerRecord<>("workers", 0, 1, "w", null));

    assertThat(view.live()).isEmpty();
  }
}
