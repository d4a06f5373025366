package dev.kiln.gateway.build;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Resources SMALL = new Resources(1, 512, 1);

  private static WorkerHeartbeat worker(int freeSlots, Resources maxBuild) {
    return WorkerHeartbeat.newBuilder().setWorkerId("w").setVersion("t").setTotal(maxBuild).setFree(maxBuild)
        .setMaxBuild(maxBuild).setSlots(2).setFreeSlots(freeSlots).setRunningBuilds(List.of()).setIntervalMs(3000)
        .setStartedAt(Instant.EPOCH).setSentAt(Instant.EPOCH).build();
  }

  @Test
  void admit_freeSlotBeyondPendingRequests_passes() {
    Admission admission = new Admission(() -> List.of(worker(2, new Resources(2, 4096, 10))), () -> 1);

    assertThatCode(() -> admission.admit(SMALL)).doesNotThrowAnyException();
  }

  @Test
  void admit_slotsAllSpokenForByUnclaimedRequests_is503() {
    Admission admission = new Admission(() -> List.of(worker(2, new Resources(2, 4096, 10))), () -> 2);

    assertThatThrownBy(() -> admission.admit(SMALL)).isInstanceOf(NoCapacity.class).hasMessage("no available nodes");
  }

  @Test
  void admit_onlyWorkersTooSmallForTheRequest_is503() {
    Admission admission = new Admission(() -> List.of(worker(5, new Resources(2, 1024, 10))), () -> 0);

    assertThatThrownBy(() -> admission.admit(new Resources(1, 2048, 1))).hasMessage("no available nodes");
    assertThatThrownBy(() -> new Admission(List::of, () -> 0).admit(SMALL)).hasMessage("no available nodes");
  }
}
