package dev.kiln.worker.engine.step;

import dev.kiln.worker.engine.FailureReason;

/** The outcome of one step: the image and config after it, or the reason the build fails there. */
public record StepResult(String image, ImageConfig config, FailureReason failure, String failureDetail) {

  public static StepResult done(String image, ImageConfig config) {
    return new StepResult(image, config, null, null);
  }

  /** A user-caused failure, e.g. {@code failed(FailureReason.STEP_FAILED, "exited with code 2")}. */
  public static StepResult failed(FailureReason reason, String detail) {
    return new StepResult(null, null, reason, detail);
  }

  public boolean succeeded() {
    return failure == null;
  }
}
