package dev.kiln.worker.engine.plan;

import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.StepLimits;
import java.util.List;

/** What to build: a base image, the limits each step runs under, the steps in order, and where to tag it. */
public record BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
    String targetTag) {

  public BuildPlan {
    steps = List.copyOf(steps);
  }
}
