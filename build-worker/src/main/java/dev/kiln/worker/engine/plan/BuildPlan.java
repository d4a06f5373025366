package dev.kiln.worker.engine.plan;

import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.StartCheck;
import dev.kiln.worker.engine.step.StepLimits;
import java.util.List;

/** What to build: a base image, the limits each step runs under, the steps, where to tag it, how to check it starts. */
public record BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
    String targetTag, StartCheck startCheck, RegistryCredentials baseCredentials) {

  public BuildPlan {
    steps = List.copyOf(steps);
  }

  /** A plan without a start check. */
  public BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
      String targetTag) {
    this(baseImage, limits, steps, targetRepository, targetTag, null, null);
  }

  /** A plan of a public base image. */
  public BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
      String targetTag, StartCheck startCheck) {
    this(baseImage, limits, steps, targetRepository, targetTag, startCheck, null);
  }
}
