package dev.kiln.template;

import dev.kiln.schema.Step;
import java.util.List;

/** Folds a build request's normalized steps into the {@link RuntimeConfig} they leave; RUN and COPY change none. */
public final class RuntimeConfigFold {
  private RuntimeConfigFold() {}

  /** The steps folded onto an empty config: what a template runs with, as far as its request says. */
  public static RuntimeConfig fold(List<Step> steps) {
    RuntimeConfig config = RuntimeConfig.empty();
    for (Step step : steps) {
      config = apply(config, step);
    }
    return config;
  }

  public static RuntimeConfig apply(RuntimeConfig config, Step step) {
    return switch (step.getKind()) {
      case ENV -> withPairs(config, step.getArgs());
      case WORKDIR -> config.withWorkdir(step.getArgs().get(0));
      case USER -> config.withUser(step.getArgs().get(0));
      case CMD -> config.withCmd(step.getArgs());
      case RUN, COPY -> config;
    };
  }

  private static RuntimeConfig withPairs(RuntimeConfig config, List<String> pairs) {
    for (String pair : pairs) {
      config = config.withEnvPair(pair);
    }
    return config;
  }
}
