package dev.kiln.worker.engine.runner;

import java.io.IOException;

/**
 * Kiln's own transient fault: the container engine (or what carries the build's output) could not be reached. Not a
 * result: the attempt gives its request back, and another worker, or this one once the engine is back, builds it.
 */
public final class EngineUnavailable extends RuntimeException {
  public EngineUnavailable(Throwable cause) {
    super("the container engine could not be reached: " + cause, cause);
  }

  /** The node cannot give the build what it needs right now ({@code why}), through no fault of the build's. */
  public EngineUnavailable(String why, Throwable cause) {
    super(why, cause);
  }

  /** Whether {@code failure} is an I/O fault on the way to the engine rather than an answer from it. */
  public static boolean isCause(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof IOException || cause instanceof java.io.UncheckedIOException
          || cause instanceof EngineUnavailable) {
        return true;
      }
    }
    return false;
  }
}
