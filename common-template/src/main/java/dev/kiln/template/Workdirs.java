package dev.kiln.template;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * WORKDIR as Docker resolves it: an absolute path replaces the current directory as written; a relative one is
 * joined onto it and cleaned ({@code filepath.Join("/", current, requested)}), so {@code a} then {@code b} is
 * {@code /a/b}.
 */
public final class Workdirs {
  private Workdirs() {}

  /** The working directory after {@code WORKDIR requested} when it was {@code current} ("" or null: none yet). */
  public static String resolve(String current, String requested) {
    if (requested == null || requested.isEmpty()) {
      throw new IllegalArgumentException("WORKDIR needs a path");
    }
    if (requested.startsWith("/")) {
      return requested;
    }
    return clean("/" + (current == null ? "" : current) + "/" + requested);
  }

  /** An absolute path without empty, {@code .} or {@code ..} segments; {@code ..} stops at the root. */
  static String clean(String absolute) {
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : absolute.split("/")) {
      if (segment.equals("..")) {
        segments.pollLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        segments.addLast(segment);
      }
    }
    return "/" + String.join("/", segments);
  }
}
