package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The attempt number a claim takes. */
class ClaimLoopTest {

  @Test
  void aFirstDelivery_isAttemptOne() {
    assertThat(ClaimLoop.attemptNumber(1, 0)).isEqualTo(1);
  }

  @Test
  void aRedelivery_isNumberedByItsDeliveryCount() {
    assertThat(ClaimLoop.attemptNumber(3, 2)).isEqualTo(3);
  }

  @Test
  void aDeliveryRepeatedWithTheSameCount_afterALeaderChange_takesTheNextAttempt() {
    // Attempt 1 already started elsewhere, and the new leader hands the request out again as delivery 1.
    assertThat(ClaimLoop.attemptNumber(1, 1)).isEqualTo(2);
  }
}
