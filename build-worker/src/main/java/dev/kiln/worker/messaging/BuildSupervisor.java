package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Supervises one slot's claimed builds: keeps the claim's lock renewed while a build runs and stops the build when it
 * is cancelled, runs past the build timeout, loses its lock or the worker shuts down. A lost lock aborts the build at
 * once: the request is being redelivered to another worker. The answer is how the claim ends.
 */
public final class BuildSupervisor {
  private static final Logger log = LoggerFactory.getLogger(BuildSupervisor.class);
  private static final long TICK_MILLIS = 200;
  private final Predicate<String> cancelled;
  private final Consumer<String> markTerminal;
  private final ExecutorService builds;
  private final Duration renewInterval;
  private final Duration buildTimeout;
  private final Clock clock;
  private volatile boolean stopping;

  /** {@code cancelled} asks whether someone cancelled a build; {@code markTerminal} records that a build ended. */
  public BuildSupervisor(Predicate<String> cancelled, Consumer<String> markTerminal, ExecutorService builds,
      Duration renewInterval, Duration buildTimeout, Clock clock) {
    this.cancelled = cancelled;
    this.markTerminal = markTerminal;
    this.builds = builds;
    this.renewInterval = renewInterval;
    this.buildTimeout = buildTimeout;
    this.clock = clock;
  }

  /** Runs the claimed build and watches it until it ends; the answer is how to end the claim. */
  ClaimEnd run(String buildId, HeldClaim claim, RunningBuild.Body body) {
    return start(buildId, claim, body).untilEnd();
  }

  /** Starts the build; its build timeout runs from now. */
  Supervision start(String buildId, HeldClaim claim, RunningBuild.Body body) {
    // A build cancelled before any worker claimed it ends at once, with its terminal status.
    BuildOutcome stopped = cancelled.test(buildId) ? cancelledByRequest() : null;
    return new Supervision(buildId, claim, RunningBuild.start(builds, stopped, body));
  }

  /** The worker shuts down: a build in progress is stopped and its request released for another worker. */
  void stop() {
    stopping = true;
  }

  private static BuildOutcome cancelledByRequest() {
    return BuildOutcome.failed(FailureReason.CANCELLED, "cancelled by request", null);
  }

  /** One running build under watch: when it was claimed, and when its lock was last renewed. */
  final class Supervision {
    private final String buildId;
    private final HeldClaim claim;
    private final RunningBuild build;
    private final Instant claimedAt = clock.instant();
    private Instant renewedAt = claimedAt;

    private Supervision(String buildId, HeldClaim claim, RunningBuild build) {
      this.buildId = buildId;
      this.claim = claim;
      this.build = build;
    }

    /** The build itself, to see its outcome. */
    RunningBuild build() {
      return build;
    }

    /** Checks on the build every tick until it ends or must be left; the answer is how to end the claim. */
    ClaimEnd untilEnd() {
      while (true) {
        try {
          build.await(TICK_MILLIS);
          markTerminal.accept(buildId);
          return ClaimEnd.ACCEPT;
        } catch (TimeoutException stillRunning) {
          Optional<ClaimEnd> early = checkOn();
          if (early.isPresent()) {
            return early.get();
          }
        } catch (ExecutionException | RuntimeException failed) {
          // Stopped without a reason (lost lock, shutdown) or Kiln's own fault: another attempt takes it.
          log.warn("build {} did not finish here", buildId, failed);
          build.stop(null);
          return ClaimEnd.RELEASE;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          build.stop(null);
          return ClaimEnd.RELEASE;
        }
      }
    }

    /** One supervision tick; a value means: stop supervising and end the claim so. */
    Optional<ClaimEnd> checkOn() {
      if (stopping) {
        build.stop(null);
        return Optional.of(ClaimEnd.RELEASE);
      }
      stopIfCancelledOrLate();
      CompletableFuture<Boolean> check = build.pendingClaimCheck();
      if (check == null && !renewalDue()) {
        return Optional.empty();
      }
      renewedAt = clock.instant();
      boolean held = claim.renew();
      if (check != null) {
        check.complete(held);
      }
      return held ? Optional.empty() : Optional.of(lostClaim());
    }

    private void stopIfCancelledOrLate() {
      if (cancelled.test(buildId)) {
        build.stop(cancelledByRequest());
      } else if (Duration.between(claimedAt, clock.instant()).compareTo(buildTimeout) > 0) {
        build.stop(BuildOutcome.failed(FailureReason.TIMEOUT, "build exceeded " + buildTimeout.toSeconds() + " s",
            null));
      }
    }

    private boolean renewalDue() {
      return Duration.between(renewedAt, clock.instant()).compareTo(renewInterval) >= 0;
    }

    private ClaimEnd lostClaim() {
      log.warn("lost the claim on build {}: aborting it, another worker takes over", buildId);
      build.stop(null);
      // The broker refuses this for a lock we no longer hold; it only clears the record on our side.
      return ClaimEnd.RELEASE;
    }
  }
}
