package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How the supervisor ends a claimed build: on its deadline, a cancel, a lost lock, a worker stop or its own end. */
@Timeout(30) // a supervisor that misses its cue would watch the build forever
class BuildSupervisorTest {
  static final Duration RENEW_INTERVAL = Duration.ofSeconds(5);
  static final Duration BUILD_TIMEOUT = Duration.ofMinutes(10);
  static final BuildOutcome BUILT = BuildOutcome.succeeded("sha256:1", "kiln/o/t:b");
  static final BuildOutcome NOT_CONFIRMED = BuildOutcome.failed(FailureReason.INTERNAL_ERROR, "claim lost", null);
  final ExecutorService pool = Executors.newCachedThreadPool();
  final MutableClock clock = new MutableClock();
  final Set<String> cancelled = ConcurrentHashMap.newKeySet();
  final List<String> markedTerminal = new CopyOnWriteArrayList<>();
  final FakeClaim claim = new FakeClaim();
  final CountDownLatch began = new CountDownLatch(1);
  final BuildSupervisor supervisor = new BuildSupervisor(cancelled::contains, markedTerminal::add, pool,
      RENEW_INTERVAL, BUILD_TIMEOUT, clock);

  /** A claim whose lock is held until the test says otherwise; it counts its renewals. */
  static final class FakeClaim implements HeldClaim {
    volatile boolean held = true;
    final AtomicInteger renewals = new AtomicInteger();

    @Override
    public boolean renew() {
      renewals.incrementAndGet();
      return held;
    }
  }

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  /** Like a build job: runs until stopped, then ends with the stop's reason, or throws when stopped without one. */
  RunningBuild.Body runsUntilStopped() {
    return self -> {
      began.countDown();
      if (self.stopReason() == null) {
        try {
          new CountDownLatch(1).await();
        } catch (InterruptedException stopped) {
          if (self.stopReason() == null) {
            throw stopped;
          }
        }
      }
      return self.stopReason();
    };
  }

  /**
   * Starts a build that runs until stopped, once its thread is running: a stop that came before would find no
   * thread to interrupt.
   */
  BuildSupervisor.Supervision startRunning() throws InterruptedException {
    BuildSupervisor.Supervision supervision = supervisor.start("b1", claim, runsUntilStopped());
    began.await();
    return supervision;
  }

  /** The build was stopped without a reason: it threw instead of ending. */
  static void assertAbandoned(RunningBuild build) {
    assertThatThrownBy(() -> build.await(5_000)).isInstanceOf(ExecutionException.class);
  }

  @Test
  void checkOn_deadlineNotYetPassed_buildKeepsRunning() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();
    clock.advance(BUILD_TIMEOUT);

    assertThat(supervision.checkOn()).isEmpty();
    assertThatThrownBy(() -> supervision.build().await(50)).isInstanceOf(TimeoutException.class);
  }

  @Test
  void untilEnd_deadlinePassed_buildEndsTimedOutAndIsAccepted() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();
    clock.advance(BUILD_TIMEOUT.plusMillis(1));

    assertThat(supervision.untilEnd()).isEqualTo(ClaimEnd.ACCEPT);
    assertThat(supervision.build().await(0))
        .isEqualTo(BuildOutcome.failed(FailureReason.TIMEOUT, "build exceeded 600 s", null));
    assertThat(markedTerminal).containsExactly("b1");
  }

  @Test
  void untilEnd_cancelledWhileRunning_buildEndsCancelledAndIsAccepted() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();
    cancelled.add("b1");

    assertThat(supervision.untilEnd()).isEqualTo(ClaimEnd.ACCEPT);
    assertThat(supervision.build().await(0)).isEqualTo(RunningBuildTest.CANCELLED);
    assertThat(markedTerminal).containsExactly("b1");
  }

  @Test
  void start_cancelledBeforeTheClaim_buildEndsCancelledAtOnce() throws Exception {
    cancelled.add("b1");
    BuildSupervisor.Supervision supervision = startRunning();

    assertThat(supervision.build().await(5_000)).isEqualTo(RunningBuildTest.CANCELLED);
    assertThat(supervision.untilEnd()).isEqualTo(ClaimEnd.ACCEPT);
  }

  @Test
  void checkOn_lockLost_buildIsStoppedAndReleased() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();
    claim.held = false;
    clock.advance(RENEW_INTERVAL);

    assertThat(supervision.checkOn()).contains(ClaimEnd.RELEASE);
    assertAbandoned(supervision.build());
    assertThat(markedTerminal).isEmpty();
  }

  @Test
  void checkOn_renewsOnlyOnceTheRenewIntervalHasPassed() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();

    clock.advance(RENEW_INTERVAL.minusMillis(1));
    assertThat(supervision.checkOn()).isEmpty();
    assertThat(claim.renewals).hasValue(0);

    clock.advance(Duration.ofMillis(1));
    assertThat(supervision.checkOn()).isEmpty();
    assertThat(claim.renewals).hasValue(1);

    // The interval runs again from that renewal.
    clock.advance(RENEW_INTERVAL.minusMillis(1));
    assertThat(supervision.checkOn()).isEmpty();
    assertThat(claim.renewals).hasValue(1);
  }

  /** A build that asks for its claim to be confirmed before its end, and ends by the answer. */
  static RunningBuild.Body confirmsItsClaim() {
    return self -> self.confirmClaim() ? BUILT : NOT_CONFIRMED;
  }

  @Test
  void checkOn_pendingClaimCheck_isAnsweredByARenewalAtOnce() throws Exception {
    BuildSupervisor.Supervision supervision = supervisor.start("b1", claim, confirmsItsClaim());
    await().until(() -> supervision.build().pendingClaimCheck() != null);

    assertThat(supervision.checkOn()).isEmpty();

    assertThat(claim.renewals).hasValue(1);
    assertThat(supervision.build().await(5_000)).isEqualTo(BUILT);
  }

  @Test
  void checkOn_pendingClaimCheckWithTheLockLost_isAnsweredNoAndReleased() throws Exception {
    BuildSupervisor.Supervision supervision = supervisor.start("b1", claim, confirmsItsClaim());
    claim.held = false;
    CompletableFuture<Boolean> check = await().until(() -> supervision.build().pendingClaimCheck(), Objects::nonNull);

    assertThat(supervision.checkOn()).contains(ClaimEnd.RELEASE);

    // The build may learn the answer, or be interrupted by the stop first: never may it end as built.
    assertThat(check).isCompletedWithValue(false);
    assertThat(endOf(supervision.build())).isNotEqualTo(Optional.of(BUILT));
  }

  /** The build's outcome, or empty when it was stopped without one. */
  static Optional<BuildOutcome> endOf(RunningBuild build) throws Exception {
    try {
      return Optional.of(build.await(5_000));
    } catch (ExecutionException stopped) {
      return Optional.empty();
    }
  }

  @Test
  void untilEnd_workerStopping_buildIsStoppedAndReleased() throws Exception {
    BuildSupervisor.Supervision supervision = startRunning();
    supervisor.stop();

    assertThat(supervision.untilEnd()).isEqualTo(ClaimEnd.RELEASE);
    assertAbandoned(supervision.build());
    assertThat(claim.renewals).hasValue(0);
    assertThat(markedTerminal).isEmpty();
  }

  @Test
  void run_buildEnds_isAcceptedAndMarkedTerminal() {
    assertThat(supervisor.run("b1", claim, self -> BUILT)).isEqualTo(ClaimEnd.ACCEPT);
    assertThat(markedTerminal).containsExactly("b1");
  }

  @Test
  void run_buildThrows_isReleasedAndNotMarkedTerminal() {
    ClaimEnd end = supervisor.run("b1", claim, self -> {
      throw new IllegalStateException("Kiln's own fault");
    });

    assertThat(end).isEqualTo(ClaimEnd.RELEASE);
    assertThat(markedTerminal).isEmpty();
  }
}
