package dev.kiln.worker.engine.step;

import java.util.List;

/** ENV: sets variables for every later step and for the template's runtime. Args are {@code K=V} pairs. */
public record EnvStep(List<String> pairs) implements BuildStep {
  public EnvStep {
    pairs = List.copyOf(pairs);
  }

  @Override
  public String kind() {
    return "ENV";
  }

  @Override
  public String normalized() {
    return "ENV " + String.join(" ", pairs);
  }

  @Override
  public StepResult apply(StepContext context) {
    ImageConfig config = context.config();
    for (String pair : pairs) {
      config = config.withEnvPair(pair);
    }
    return StepResult.done(context.image(), config);
  }
}
