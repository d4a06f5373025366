package dev.kiln.worker.engine.runner;

import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.LogSink;

/** Hears a build's progress; the runner never knows who is listening (Kafka, a test, a terminal). */
public interface BuildListener {
  /** Step {@code index} (0-based) of {@code total} is about to run. */
  void stepStarted(int index, int total, BuildStep step);

  /** Where the build's output lines go. */
  LogSink log();
}
