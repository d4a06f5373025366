package dev.kiln.worker.engine.step;

/** Where build output goes, one complete line at a time, in order. */
public interface LogSink {
  void line(String text, boolean error);

  default void info(String text) {
    line(text, false);
  }
}
