package dev.kiln.worker.engine.step;

import java.time.Duration;

/** Resources every step container of a build gets, and how long one step may run. */
public record StepLimits(int cpus, long memoryBytes, Duration stepTimeout) {}
