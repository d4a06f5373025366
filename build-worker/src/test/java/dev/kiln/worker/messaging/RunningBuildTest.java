package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** When a stop interrupts a build thread, and when it must not: once the build is writing its end. */
class RunningBuildTest {
  static final BuildOutcome CANCELLED = BuildOutcome.failed(FailureReason.CANCELLED, "cancelled by request", null);
  final ExecutorService pool = Executors.newSingleThreadExecutor();

  @AfterEach
  void stopPool() {
    pool.shutdownNow();
  }

  /** A build body that decides its outcome, then spends a while "writing its end", which an interrupt would break. */
  static RunningBuild.Body finishingSlowly(CountDownLatch finishing, BuildOutcome decided) {
    return self -> {
      self.finishing();
      finishing.countDown();
      Thread.sleep(300);
      return self.stopReason() != null ? self.stopReason() : decided;
    };
  }

  @Test
  void buildCancelledBeforeItBegan_isNotInterruptedWhileWritingItsEnd() throws Exception {
    CountDownLatch finishing = new CountDownLatch(1);
    RunningBuild build = RunningBuild.start(pool, CANCELLED, finishingSlowly(finishing, null));
    finishing.await();

    build.stop(CANCELLED); // the supervisor sees the cancel on its next tick

    assertThat(build.await(5_000)).isEqualTo(CANCELLED);
  }

  @Test
  void stopAfterTheOutcomeIsDecided_doesNotInterrupt() throws Exception {
    CountDownLatch finishing = new CountDownLatch(1);
    BuildOutcome built = BuildOutcome.succeeded("sha256:1", "kiln/o/t:b");
    RunningBuild build = RunningBuild.start(pool, null, finishingSlowly(finishing, built));
    finishing.await();

    build.stop(CANCELLED);

    // A cancel that comes after the build ended is too late: the build keeps its end, uninterrupted.
    assertThat(build.await(5_000)).isEqualTo(built);
  }

  @Test
  void stopWhileBuilding_interruptsTheBuild() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    RunningBuild build = RunningBuild.start(pool, null, self -> {
      started.countDown();
      try {
        Thread.sleep(60_000);
        return BuildOutcome.succeeded("never", "never");
      } catch (InterruptedException stopped) {
        return self.stopReason();
      }
    });
    started.await();

    build.stop(CANCELLED);

    assertThat(build.await(5_000)).isEqualTo(CANCELLED);
  }
}
