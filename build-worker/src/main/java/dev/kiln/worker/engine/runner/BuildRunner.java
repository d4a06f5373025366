package dev.kiln.worker.engine.runner;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.engine.plan.BuildPlan;
import java.io.IOException;
import java.util.Optional;
import dev.kiln.worker.engine.step.StartCheck;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.FileSource;
import dev.kiln.worker.engine.step.ImageConfig;
import dev.kiln.worker.engine.step.ImageEngine;
import dev.kiln.worker.engine.step.StepContext;
import dev.kiln.worker.engine.step.StepResult;

/**
 * Runs a plan: resolve the base, apply each step in order (or take it from the cache while every earlier step came
 * from it too), commit the final config, tag. A short loop on purpose.
 */
public final class BuildRunner {
  static final String ALPINE_REFUSED =
      "Alpine Linux is not supported. Use glibc-based images like ubuntu, debian, python-slim, node-slim";
  private static final long MB = 1024L * 1024;

  /** Runs without a cache. */
  public BuildOutcome run(BuildPlan plan, ImageEngine engine, FileSource files, BuildListener listener)
      throws InterruptedException {
    return run(plan, engine, LayerCache.NONE, files, listener);
  }

  /**
   * The build's outcome. A fault of Kiln's that another attempt would meet again ends the build once, with
   * {@code internal_error}, instead of coming back on every delivery; an unreachable engine throws
   * {@link EngineUnavailable}, so the request goes to another attempt.
   */
  public BuildOutcome run(BuildPlan plan, ImageEngine engine, LayerCache cache, FileSource files,
      BuildListener listener) throws InterruptedException {
    try {
      return runSteps(plan, engine, cache, files, listener);
    } catch (EngineUnavailable e) {
      throw e;
    } catch (RuntimeException e) {
      if (Thread.currentThread().isInterrupted() || interruption(e)) {
        // Stopped (cancel, timeout, lost claim) while an engine call ran: the stop decides, not this failure.
        InterruptedException stopped = new InterruptedException("build stopped: " + e);
        stopped.initCause(e);
        throw stopped;
      }
      if (EngineUnavailable.isCause(e)) {
        throw new EngineUnavailable(e);
      }
      return BuildOutcome.failed(FailureReason.INTERNAL_ERROR, "Kiln could not carry out this build: " + e, null);
    }
  }

  private static boolean interruption(Throwable failure) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof InterruptedException || cause instanceof java.io.InterruptedIOException) {
        return true;
      }
    }
    return false;
  }

  private BuildOutcome runSteps(BuildPlan plan, ImageEngine engine, LayerCache cache, FileSource files,
      BuildListener listener) throws InterruptedException {
    ImageEngine.BaseImage base;
    listener.log().info("base image " + plan.baseImage());
    Optional<String> refused = plan.access().refusal(plan.baseImage());
    if (refused.isPresent()) {
      return BuildOutcome.failed(FailureReason.IMAGE_PULL_FAILED, refused.get(), null);
    }
    try {
      // skipCache on the whole build also refreshes the base image.
      base = engine.resolveBase(plan.baseImage(), plan.baseCredentials(), plan.cacheableSteps() == 0,
          plan.access().isOwnTemplate(plan.baseImage()));
    } catch (EngineException e) {
      return BuildOutcome.failed(e.reason(), e.getMessage(), null);
    }
    BuildOutcome alpine = refuseAlpine(engine, base.id());
    if (alpine != null) {
      return alpine;
    }
    String image = base.id();
    ImageConfig config = base.config();
    CacheChain chain = new CacheChain(cache, plan.access().cacheScope(), base.digest(), plan.cacheableSteps());
    int total = plan.steps().size();
    for (int index = 0; index < total; index++) {
      if (Thread.interrupted()) {
        // The claim was lost or given back: another attempt owns the build now.
        throw new InterruptedException("build stopped before " + describe(index, total, plan.steps().get(index)));
      }
      BuildStep step = plan.steps().get(index);
      Optional<String> hit;
      try {
        hit = chain.next(index, step, files);
      } catch (IOException e) {
        return BuildOutcome.failed(FailureReason.COPY_FAILED, describe(index, total, step) + " files unreadable: "
            + e.getMessage(), index);
      }
      listener.stepStarted(index, total, step);
      listener.log().info(describe(index, total, step) + " " + step.normalized().substring(step.kind().length()).trim()
          + (chain.cached() ? " CACHED" : ""));
      // A metadata step is applied even on a hit: it is pure and it is what changes the config.
      StepResult result = hit.isPresent() && !step.metadataOnly() ? StepResult.done(hit.get(), config)
          : step.apply(new StepContext(image, config, plan.limits(), engine, files, listener.log()));
      if (!result.succeeded()) {
        return BuildOutcome.failed(result.failure(), describe(index, total, step) + " " + result.failureDetail(),
            index);
      }
      if (hit.isEmpty()) {
        chain.remember(result.image());
      }
      image = result.image();
      config = result.config();
    }
    return finish(plan, engine, image, config, chain, listener);
  }

  /** The final config commit, itself cached: a build whose every step was cached yields the same image id. */
  private static String finalImage(ImageEngine engine, String image, ImageConfig config, CacheChain chain)
      throws EngineException {
    Optional<String> hit = chain.findFinal();
    if (hit.isPresent()) {
      return hit.get();
    }
    String committed = engine.commitConfig(image, config);
    chain.rememberFinal(committed);
    return committed;
  }

  /**
   * The template's reference: its tag on this node, or, with a fleet registry, {@code registry/repo:tag@digest},
   * which names the pushed image exactly.
   */
  private static String publish(BuildPlan plan, ImageEngine engine, String image, BuildListener listener)
      throws EngineException, InterruptedException {
    if (plan.publishRegistry() == null) {
      return plan.targetRepository() + ":" + plan.targetTag();
    }
    String repository = plan.publishRegistry() + "/" + plan.targetRepository();
    String digest = engine.push(image, repository, plan.targetTag());
    listener.log().info("pushed " + repository + ":" + plan.targetTag() + "@" + digest);
    return repository + ":" + plan.targetTag() + "@" + digest;
  }

  /** musl-based images are refused, recognized by their own files rather than by name (names can lie). */
  private static BuildOutcome refuseAlpine(ImageEngine engine, String image) {
    try {
      return engine.readFile(image, "/etc/alpine-release").isPresent()
          ? BuildOutcome.failed(FailureReason.ALPINE_NOT_SUPPORTED, ALPINE_REFUSED, null) : null;
    } catch (EngineException e) {
      return BuildOutcome.failed(e.reason(), e.getMessage(), null);
    }
  }

  /** "step 3/5 RUN": how users and error messages name a step (1-based). */
  public static String describe(int index, int total, BuildStep step) {
    return "step " + (index + 1) + "/" + total + " " + step.kind();
  }

  private static BuildOutcome finish(BuildPlan plan, ImageEngine engine, String image, ImageConfig config,
      CacheChain chain, BuildListener listener) throws InterruptedException {
    try {
      String finalImage = finalImage(engine, image, config, chain);
      long size = engine.imageSize(finalImage);
      if (size > plan.limits().diskBytes()) {
        return BuildOutcome.failed(FailureReason.DISK_LIMIT_EXCEEDED, "the image is " + size / MB + " MB, over the template's "
            + "disk limit of " + plan.limits().diskBytes() / MB / 1024 + " GB (diskGB)", null);
      }
      if (plan.startCheck() != null) {
        StartCheck check = plan.startCheck();
        listener.log().info("start check: " + check.startCmd()
            + (check.probe() == null ? "" : " (ready when " + check.probe().describe() + ")"));
        ImageEngine.StartResult started = engine.checkStart(finalImage, config, check, plan.limits(), listener.log());
        if (!started.passed()) {
          return BuildOutcome.failed(FailureReason.READY_CHECK_FAILED, started.detail(), null);
        }
        listener.log().info("start check passed");
      }
      engine.tag(finalImage, plan.targetRepository(), plan.targetTag());
      return BuildOutcome.succeeded(finalImage, publish(plan, engine, finalImage, listener));
    } catch (EngineException e) {
      return BuildOutcome.failed(e.reason(), e.getMessage(), null);
    }
  }
}
