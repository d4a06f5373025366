package dev.kiln.worker.engine.step;

/** USER: the user later steps and the template run as. */
public record UserStep(String user) implements BuildStep {
  @Override
  public String kind() {
    return "USER";
  }

  @Override
  public String normalized() {
    return "USER " + user;
  }

  @Override
  public StepResult apply(StepContext context) {
    return StepResult.done(context.image(), context.config().withUser(user));
  }
}
