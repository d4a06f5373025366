package dev.kiln.worker.docker;

import dev.kiln.worker.engine.step.LogSink;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the first lines of some output, up to a number of characters, and counts the rest: a probe or a start
 * command that prints without end must not fill the worker's memory or a status message.
 */
final class BoundedOutput implements LogSink {
  private static final String SEPARATOR = " | ";
  private final int maxChars;
  private final List<String> kept = new ArrayList<>();
  private int keptChars;
  private long dropped;

  BoundedOutput(int maxChars) {
    this.maxChars = maxChars;
  }

  @Override
  public synchronized void line(String text, boolean error) {
    int room = maxChars - keptChars;
    if (room <= 0) {
      dropped++;
      return;
    }
    String part = text.length() > room ? text.substring(0, room) : text;
    kept.add(part);
    keptChars += part.length() + SEPARATOR.length();
    if (part.length() < text.length()) {
      dropped++;
    }
  }

  /** The kept lines joined with " | ", saying how many more there were; "(none)" when there was nothing. */
  synchronized String summary() {
    if (kept.isEmpty() && dropped == 0) {
      return "(none)";
    }
    String lines = String.join(SEPARATOR, kept);
    return dropped == 0 ? lines : lines + " … (" + dropped + " more lines cut)";
  }
}
