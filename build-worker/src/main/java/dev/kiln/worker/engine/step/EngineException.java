package dev.kiln.worker.engine.step;

import dev.kiln.worker.engine.FailureReason;

/**
 * A failure of the container engine, not of the user's step. {@code code} says which kind for the build's
 * error message (e.g. {@code image_pull_failed}).
 */
public class EngineException extends Exception {
  private final FailureReason reason;

  public EngineException(FailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public FailureReason reason() {
    return reason;
  }
}
