package dev.kiln.worker.engine.runner;

import dev.kiln.worker.engine.FailureReason;

/**
 * How a build ended: the tagged image, or a failure with a lowercase reason code, a message of the form
 * {@code <code>: <text>} and the 0-based failing step (null when no step was running).
 */
public record BuildOutcome(String imageId, String imageRef, String errorCode, String errorMessage, Integer failedStep) {

  public static BuildOutcome succeeded(String imageId, String imageRef) {
    return new BuildOutcome(imageId, imageRef, null, null, null);
  }

  public static BuildOutcome failed(FailureReason reason, String text, Integer failedStep) {
    return new BuildOutcome(null, null, reason.code(), reason.code() + ": " + text, failedStep);
  }

  public boolean succeeded() {
    return errorCode == null;
  }
}
