package dev.kiln.worker.engine.runner;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.engine.FailureReason;
import org.junit.jupiter.api.Test;

class BuildOutcomeTest {
  @Test
  void aFailureMessage_isBounded_whateverTheUserPutInIt() {
    // Before: a 1 MB command echoed into the message made a status Kafka refuses, so the end was never written.
    BuildOutcome outcome = BuildOutcome.failed(FailureReason.STEP_FAILED, "x".repeat(1_000_000), 0);

    assertThat(outcome.errorMessage()).hasSizeLessThanOrEqualTo(BuildOutcome.MAX_MESSAGE_CHARS)
        .startsWith("step_failed: xxx").endsWith("(message cut)");
  }
}
