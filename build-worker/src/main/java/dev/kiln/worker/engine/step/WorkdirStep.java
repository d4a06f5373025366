package dev.kiln.worker.engine.step;

/** WORKDIR: the directory later steps and the template start in; relative paths resolve against the current one. */
public record WorkdirStep(String path) implements BuildStep {
  @Override
  public String kind() {
    return "WORKDIR";
  }

  @Override
  public String normalized() {
    return "WORKDIR " + path;
  }

  @Override
  public StepResult apply(StepContext context) {
    return StepResult.done(context.image(), context.config().withWorkdir(path));
  }
}
