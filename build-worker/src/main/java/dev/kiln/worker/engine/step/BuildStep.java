package dev.kiln.worker.engine.step;

/**
 * One template step. Each kind is a class with two duties: describe itself in a normalized form (which is what its
 * cache key is made of, computed without Docker) and apply itself through the {@link StepContext}.
 */
public interface BuildStep {
  /** The step kind as users write it: RUN, ENV, WORKDIR, USER, CMD or COPY. */
  String kind();

  /** A normalized, deterministic description: the same step always yields the same text. */
  String normalized();

  /**
   * What the step's cache key is made of: its normalized form, plus whatever content it brings in (COPY: the
   * verified digest of its files). Computed without Docker.
   */
  default String cacheInput(FileSource files) throws java.io.IOException {
    return normalized();
  }

  /** True when the step only changes the image config and adds no layer. */
  default boolean metadataOnly() {
    return true;
  }

  /** Applies the step; a user-caused failure is a {@link StepResult#failed} result, not an exception. */
  StepResult apply(StepContext context) throws InterruptedException;
}
