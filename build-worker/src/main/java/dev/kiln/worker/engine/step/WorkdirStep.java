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
    String current = context.config().workdir();
    String next = path.startsWith("/") ? path
        : (current == null || current.isEmpty() ? "/" : current.replaceAll("/+$", "") + "/") + path;
    return StepResult.done(context.image(), context.config().withWorkdir(next));
  }
}
