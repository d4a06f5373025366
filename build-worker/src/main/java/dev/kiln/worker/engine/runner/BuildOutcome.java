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

  /**
   * The longest message a build ends with. A message holds user input (a command, an engine's answer about the
   * user's image); unbounded, it could make the terminal status larger than Kafka takes, and the end would never
   * be written.
   */
  public static final int MAX_MESSAGE_CHARS = 4096;

  public static BuildOutcome failed(FailureReason reason, String text, Integer failedStep) {
    String message = reason.code() + ": " + text;
    if (message.length() > MAX_MESSAGE_CHARS) {
      message = message.substring(0, MAX_MESSAGE_CHARS - 20) + " … (message cut)";
    }
    return new BuildOutcome(null, null, reason.code(), message, failedStep);
  }

  public boolean succeeded() {
    return errorCode == null;
  }
}
