package dev.kiln.worker.docker;

import dev.kiln.worker.engine.step.LogSink;
import java.util.ArrayDeque;
import java.util.Deque;

/** The last lines of some output, each cut to a length: what a failure message quotes of a start command. */
final class LastLines implements LogSink {
  private final int lines;
  private final int lineChars;
  private final Deque<String> kept = new ArrayDeque<>();

  LastLines(int lines, int lineChars) {
    this.lines = lines;
    this.lineChars = lineChars;
  }

  @Override
  public synchronized void line(String text, boolean error) {
    kept.addLast(text.length() > lineChars ? text.substring(0, lineChars) + "…" : text);
    if (kept.size() > lines) {
      kept.removeFirst();
    }
  }

  /** The kept lines joined with " | ", or "(none)". */
  synchronized String summary() {
    return kept.isEmpty() ? "(none)" : String.join(" | ", kept);
  }
}
