package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.archive.BlobStore;
import dev.kiln.schema.BuildRequested;
import dev.kiln.secrets.FleetCipher;
import dev.kiln.secrets.RegistryCredentials;
import java.security.GeneralSecurityException;
import java.util.Optional;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildListener;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.engine.step.ImageEngine;
import dev.kiln.worker.engine.step.LogSink;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BiFunction;

/**
 * Runs one attempt of a claimed build and reports it: a building status per step, the output as log chunks, and
 * the terminal status, written only after every log chunk is in Kafka and only if no other attempt ended the build.
 */
public final class BuildJob {
  private final BuildEventPublisher publisher;
  private final TerminalWriter ends;
  /** An engine for a build's attempt (its containers are labelled with both). */
  private final BiFunction<String, Integer, ImageEngine> engines;
  private final LayerCache cache;
  private final BlobStore uploads;
  private final Optional<FleetCipher> fleetCipher;
  private final PlanSettings planSettings;
  private final String workerId;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final LogLimits logLimits;

  public BuildJob(BuildEventPublisher publisher, TerminalWriter ends, BiFunction<String, Integer, ImageEngine> engines,
      LayerCache cache, BlobStore uploads, Optional<FleetCipher> fleetCipher, PlanSettings planSettings,
      String workerId, Clock clock, ScheduledExecutorService scheduler, LogLimits logLimits) {
    this.logLimits = logLimits;
    this.fleetCipher = fleetCipher;
    this.planSettings = planSettings;
    this.publisher = publisher;
    this.ends = ends;
    this.engines = engines;
    this.cache = cache;
    this.uploads = uploads;
    this.workerId = workerId;
    this.clock = clock;
    this.scheduler = scheduler;
  }

  /**
   * Returns once the terminal status is committed, or found written by an earlier attempt. Stopped with a reason
   * (cancel, timeout), the build ends with that reason; stopped without one (lost claim, shutdown) or taken over
   * by a later attempt, it throws and writes no terminal status.
   */
  BuildOutcome run(BuildRequested request, int attempt, RunningBuild self) throws InterruptedException {
    StatusEvents status = new StatusEvents(request, attempt, workerId, clock);
    LogChunker logs = new LogChunker(publisher, request.getBuildId(), attempt, workerId, clock, scheduler,
        logLimits);
    Progress progress = new Progress(status, logs, request.getSteps().size());
    BuildOutcome outcome;
    try {
      if (attempt > 1) {
        logs.info("--- attempt " + attempt + " on worker " + workerId);
      }
      publisher.status(status.building(0, null, null)).join();
      outcome = stoppedOr(self, () -> run(request, attempt, progress));
      self.finishing();
      logs.step(null);
      if (!outcome.succeeded()) {
        logs.notice(outcome.errorMessage(), true);
      }
    } finally {
      logs.close();
    }
    if (!self.confirmClaim()) {
      // Another attempt owns the build now (this worker was frozen or cut off): its end is not ours to write.
      throw new InterruptedException("claim lost before the terminal status of " + request.getBuildId());
    }
    // The last step status is written before the end, which goes through a producer of its own.
    progress.awaitLastStatus();
    TerminalWriter.Result end = ends.write(status.terminal(outcome, progress.percent, logs.chunks()));
    if (end == TerminalWriter.Result.SUPERSEDED) {
      throw new InterruptedException("a later attempt took over the end of " + request.getBuildId());
    }
    return outcome;
  }

  private RegistryCredentials credentials(BuildRequested request) throws GeneralSecurityException {
    if (request.getCredentialsRef() == null) {
      return null;
    }
    if (fleetCipher.isEmpty()) {
      throw new GeneralSecurityException("no fleet key");
    }
    return fleetCipher.get().open(request.getCredentialsRef(), request.getBuildId());
  }

  /** The build's outcome, or the reason it was stopped for. */
  private static BuildOutcome stoppedOr(RunningBuild self, Interruptible<BuildOutcome> build)
      throws InterruptedException {
    if (self.stopReason() != null) {
      return self.stopReason();
    }
    try {
      return build.run();
    } catch (InterruptedException | RuntimeException e) {
      // A build stopped with a reason (cancel, timeout) ends with it, however its interrupted engine call failed.
      if (self.stopReason() == null) {
        throw e;
      }
      return self.stopReason();
    }
  }

  /** A computation that may be interrupted. */
  @FunctionalInterface
  private interface Interruptible<T> {
    T run() throws InterruptedException;
  }

  private BuildOutcome run(BuildRequested request, int attempt, Progress progress) throws InterruptedException {
    BuildPlan plan;
    try {
      plan = PlanMapper.toPlan(request, planSettings, credentials(request));
    } catch (PlanRefused e) {
      return BuildOutcome.failed(e.reason(), e.getMessage(), null);
    } catch (IllegalArgumentException e) {
      // No redelivery would help: every attempt would refuse the same plan.
      return BuildOutcome.failed(FailureReason.UNSUPPORTED_STEP, e.getMessage(), null);
    } catch (GeneralSecurityException e) {
      return BuildOutcome.failed(FailureReason.CREDENTIALS_UNREADABLE,
          "the registry credentials could not be opened with this worker's fleet key", null);
    }
    try (ImageEngine engine = engines.apply(request.getBuildId(), attempt)) {
      return new BuildRunner().run(plan, engine, cache, new UploadedFiles(uploads, request.getOrganizationId()),
          progress);
    }
  }

  /** Turns step starts into building statuses and keeps log chunks per step. */
  private final class Progress implements BuildListener {
    private final StatusEvents status;
    private final LogChunker logs;
    private final int total;
    private volatile int percent;
    private volatile java.util.concurrent.CompletableFuture<Void> lastStatus =
        java.util.concurrent.CompletableFuture.completedFuture(null);

    Progress(StatusEvents status, LogChunker logs, int total) {
      this.status = status;
      this.logs = logs;
      this.total = total;
    }

    @Override
    public void stepStarted(int index, int steps, BuildStep step) {
      logs.step(index);
      // The final commit and tag still follow the last step: leave room before 100.
      percent = index * 100 / (total + 1);
      lastStatus = publisher.status(status.building(percent, BuildRunner.describe(index, steps, step), index));
    }

    /** Waits for the last step status sent (the producer keeps a build's sends in order); a failed one is moot. */
    void awaitLastStatus() {
      try {
        lastStatus.join();
      } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException e) {
        // a status lost on the way is superseded by the end
      }
    }

    @Override
    public LogSink log() {
      return logs;
    }
  }
}
