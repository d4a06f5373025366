package dev.kiln.worker.engine;

import dev.kiln.worker.engine.runner.BuildListener;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.LogSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a build reported, for assertions. */
public final class RecordingListener implements BuildListener {
  public final List<String> lines = new CopyOnWriteArrayList<>();
  public final List<String> startedSteps = new CopyOnWriteArrayList<>();

  @Override
  public void stepStarted(int index, int total, BuildStep step) {
    startedSteps.add(index + "/" + total + " " + step.kind());
  }

  @Override
  public LogSink log() {
    return (text, error) -> lines.add(text);
  }
}
