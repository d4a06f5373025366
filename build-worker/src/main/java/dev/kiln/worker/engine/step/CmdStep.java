package dev.kiln.worker.engine.step;

import java.util.List;

/** CMD: the template's default command, in exec form. */
public record CmdStep(List<String> command) implements BuildStep {
  public CmdStep {
    command = List.copyOf(command);
  }

  @Override
  public String kind() {
    return "CMD";
  }

  @Override
  public String normalized() {
    // JSON-like exec form so that ["a b"] and ["a","b"] never normalize alike.
    return "CMD [" + String.join(",", command.stream().map(arg -> '"' + arg.replace("\"", "\\\"") + '"').toList()) + "]";
  }

  @Override
  public StepResult apply(StepContext context) {
    return StepResult.done(context.image(), context.config().withCmd(command));
  }
}
