package dev.kiln.gateway.projection;

import dev.kiln.schema.LogLine;
import java.util.List;

/** Lines of a build's log from some line on, and the cursor to ask for next. */
public record LogPage(List<Line> lines, long nextOffset) {
  /** One line with the step it came from (null outside a step). */
  public record Line(LogLine line, Integer stepIndex) {}
}
