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
  void sizeClasses_areThoseOneSlotHoldsWhole() {
    // Memory and disk are split between the slots: 2 slots of (4 cpu, 8192 MB, 40 GB) hold small and medium builds.
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 2).sizeClasses())
        .containsExactly(SizeClass.SMALL, SizeClass.MEDIUM);
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 4).sizeClasses())
        .containsExactly(SizeClass.SMALL);
    assertThat(new WorkerCapacity(new WorkerCapacity.Amount(4, 8192, 40), 16).sizeClasses()).isEmpty();
  }
}
