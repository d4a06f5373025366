package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.runner.BuildOutcome;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A build running on a worker thread that can be stopped. A stop with a reason (cancel, timeout) still ends the
 * build with a terminal status; a stop without one (lost lock, shutdown) leaves the build to the next attempt.
 */
final class RunningBuild {
  /** The body of a build: returns its outcome, or throws when it was stopped without a reason. */
  @FunctionalInterface
  interface Body {
    BuildOutcome run(RunningBuild self) throws Exception;
  }

  private static final long CLAIM_CHECK_MILLIS = 10_000;
  private final CompletableFuture<BuildOutcome> done = new CompletableFuture<>();
  private volatile CompletableFuture<Boolean> claimCheck;
  private volatile Thread thread;
  private volatile BuildOutcome stopReason;
  private boolean stopRequested;

  /** Starts {@code body}; with a non-null {@code stopReason} the build is stopped before it begins. */
  static RunningBuild start(ExecutorService executor, BuildOutcome stopReason, Body body) {
    RunningBuild build = new RunningBuild();
    build.stopReason = stopReason;
    // Stopped before it began: there is nothing to interrupt, and a later stop must not hit its terminal status.
    build.stopRequested = stopReason != null;
    executor.execute(() -> {
      build.thread = Thread.currentThread();
      try {
        build.done.complete(body.run(build));
      } catch (Throwable e) {
        // Wrapped, so that get() reports every failure (CancellationException included) as an ExecutionException.
        build.done.completeExceptionally(new IllegalStateException("build did not finish", e));
      } finally {
        build.thread = null;
        Thread.interrupted(); // the pool thread must not carry a stale interrupt to its next build
      }
    });
    return build;
  }

  /** Stops the build; {@code reason} non-null makes it end with that outcome. */
  synchronized void stop(BuildOutcome reason) {
    if (stopRequested) {
      return; // one interrupt: a second one could hit the terminal status being written
    }
    stopRequested = true;
    if (stopReason == null) {
      stopReason = reason;
    }
    Thread current = thread;
    if (current != null) {
      current.interrupt();
    }
  }

  /**
   * Called by the build thread once its outcome is decided: from now on a stop no longer interrupts it (the last log
   * chunks, the claim check and the terminal status must go through), and an interrupt a stop already sent is
   * cleared. Under the same lock as {@link #stop}, so no interrupt can arrive after the clearing.
   */
  synchronized void finishing() {
    if (stopRequested) {
      Thread.interrupted();
    }
    stopRequested = true;
  }

  /** Why the build was stopped, if it was stopped with a reason. */
  BuildOutcome stopReason() {
    return stopReason;
  }

  /**
   * Asks the supervising slot to renew the claim now and answers whether it still holds it. Called just before the
   * terminal status is written: only the current lock holder may end a build.
   */
  boolean confirmClaim() throws InterruptedException {
    CompletableFuture<Boolean> check = new CompletableFuture<>();
    claimCheck = check;
    try {
      return check.get(CLAIM_CHECK_MILLIS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      return false;
    } finally {
      claimCheck = null;
    }
  }

  /** The pending claim check, if the build asked for one (the supervisor answers it). */
  CompletableFuture<Boolean> pendingClaimCheck() {
    return claimCheck;
  }

  /** The outcome within {@code millis}, or a {@link TimeoutException}. */
  BuildOutcome await(long millis) throws InterruptedException, ExecutionException, TimeoutException {
    return done.get(millis, TimeUnit.MILLISECONDS);
  }
}
