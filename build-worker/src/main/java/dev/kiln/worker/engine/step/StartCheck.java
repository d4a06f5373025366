package dev.kiln.worker.engine.step;

import java.time.Duration;

/**
 * The template's {@code startCmd} and how to tell it is ready ({@code probe} null: it only has to keep running).
 * Checked on the finished image before the template becomes active.
 */
public record StartCheck(String startCmd, ReadyProbe probe, Duration timeout, Duration interval) {
  public StartCheck {
    if (timeout == null || interval == null || timeout.isNegative() || timeout.isZero() || interval.isNegative()
        || interval.isZero()) {
      throw new IllegalArgumentException("a ready check's timeout and interval must be positive, not " + timeout
          + " and " + interval);
    }
  }
}
