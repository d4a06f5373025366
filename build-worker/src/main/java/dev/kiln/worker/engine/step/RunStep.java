package dev.kiln.worker.engine.step;

import dev.kiln.worker.engine.FailureReason;

/** RUN: a shell command in a container of the current image, committed as a new layer when it exits 0. */
public record RunStep(String command) implements BuildStep {
  @Override
  public String kind() {
    return "RUN";
  }

  @Override
  public String normalized() {
    return "RUN " + command;
  }

  @Override
  public boolean metadataOnly() {
    return false;
  }

  @Override
  public StepResult apply(StepContext context) throws InterruptedException {
    try {
      ImageEngine.RunResult result = context.engine()
          .run(context.image(), context.config(), command, context.limits(), context.log());
      if (result.outOfMemory()) {
        return StepResult.failed(FailureReason.OUT_OF_MEMORY, "killed for using more than the build's "
            + context.limits().memoryBytes() / (1024 * 1024) + " MiB of memory (exit code " + result.exitCode() + ")");
      }
      if (result.exitCode() != 0) {
        return StepResult.failed(FailureReason.STEP_FAILED, "exited with code " + result.exitCode());
      }
      return StepResult.done(result.image(), context.config());
    } catch (EngineException e) {
      return StepResult.failed(e.reason(), e.getMessage());
    }
  }
}
