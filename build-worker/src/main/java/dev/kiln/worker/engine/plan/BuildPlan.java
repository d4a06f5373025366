package dev.kiln.worker.engine.plan;

import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.StartCheck;
import dev.kiln.worker.engine.step.StepLimits;
import java.util.List;

/**
 * What to build: a base image, the limits each step runs under, the steps, where to tag it, how to check it starts.
 * Only the first {@code cacheableSteps} steps may come from the cache ({@code skipCache} on the build makes it 0, on
 * a step its index): from there on every step is built. With a {@code publishRegistry} the template image is pushed
 * there too, so that any host can run it. {@code access} says which of Kiln's own images the build may start from
 * and scopes its cache keys.
 */
public record BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
    String targetTag, StartCheck startCheck, RegistryCredentials baseCredentials, int cacheableSteps,
    String publishRegistry, BaseImageAccess access) {

  public BuildPlan {
    steps = List.copyOf(steps);
  }

  /** A plan whose access follows its target repository ({@code kiln/<org>/<name>}). */
  public BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
      String targetTag, StartCheck startCheck, RegistryCredentials baseCredentials, int cacheableSteps,
      String publishRegistry) {
    this(baseImage, limits, steps, targetRepository, targetTag, startCheck, baseCredentials, cacheableSteps,
        publishRegistry, BaseImageAccess.forTarget(targetRepository));
  }

  /** A plan whose every step may come from the cache. */
  public BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
      String targetTag, StartCheck startCheck, RegistryCredentials baseCredentials) {
    this(baseImage, limits, steps, targetRepository, targetTag, startCheck, baseCredentials, steps.size(), null);
  }

  /** A plan kept on this node only. */
  public BuildPlan(String baseImage, StepLimits limits, List<BuildStep> steps, String targetRepository,
      String targetTag, StartCheck startCheck, RegistryCredentials baseCredentials, int cacheableSteps) {
    this(baseImage, limits, steps, targetRepository, targetTag, startCheck, baseCredentials, cacheableSteps, null);
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
