package dev.kiln.worker.engine.step;

import java.time.Duration;

/** Resources every step container of a build gets, how long one step may run, how large the image may grow. */
public record StepLimits(int cpus, long memoryBytes, Duration stepTimeout, long diskBytes) {

  /** Limits without a disk limit (tests and tools). */
  public StepLimits(int cpus, long memoryBytes, Duration stepTimeout) {
    this(cpus, memoryBytes, stepTimeout, Long.MAX_VALUE);
  }
}
