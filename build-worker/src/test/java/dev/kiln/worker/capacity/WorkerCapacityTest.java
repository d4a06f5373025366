package dev.kiln.worker.capacity;

import static org.assertj.core.api.Assertions.assertThat;

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
}
