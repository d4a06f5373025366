package dev.kiln.worker.engine.step;

/** The outcome of one step: the image and config after it, or the reason the build fails there. */
public record StepResult(String image, ImageConfig config, String failureCode, String failureDetail) {

  public static StepResult done(String image, ImageConfig config) {
    return new StepResult(image, config, null, null);
  }

  /** A user-caused failure, e.g. {@code failed("step_failed", "exited with code 2")}. */
  public static StepResult failed(String code, String detail) {
    return new StepResult(null, null, code, detail);
  }

  public boolean succeeded() {
    return failureCode == null;
  }
}
