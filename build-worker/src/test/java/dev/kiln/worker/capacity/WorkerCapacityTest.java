package dev.kiln.worker.capacity;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.kafka.SizeClass;
import org.junit.jupiter.api.Test;

class WorkerCapacityTest {
  @Test
  void whileTheEngineIsDown_nothingIsFree_andItComesBackWithTheEngine() {
    WorkerCapacity capacity = new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 2);

    capacity.engineAvailable(false);

    assertThat(capacity.freeSlots()).isZero();
    assertThat(capacity.free()).isEqualTo(new WorkerCapacity.Amount(0, 0, 0));

    capacity.engineAvailable(true);

    assertThat(capacity.freeSlots()).isEqualTo(2);
    assertThat(capacity.free()).isEqualTo(new WorkerCapacity.Amount(4, 8192, 40));
  }

  @Test
  void pool_isTheLargestSizeClassOneSlotHoldsWhole() {
    // Memory and disk are split between the slots: 2 slots of (4 cpu, 8192 MB, 40 GB) hold medium builds.
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 2).pool()).contains(SizeClass.MEDIUM);
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 4).pool()).contains(SizeClass.SMALL);
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 16).pool()).isEmpty();
  }
}
