package dev.kiln.worker.messaging;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that moves with {@link System#nanoTime}, never with the wall clock: a wall-clock step (NTP) must neither
 * time a build out nor hold back the renewal of its claim. Its instants are for measuring durations.
 */
public final class MonotonicClock extends Clock {
  private final Instant origin;
  private final long originNanos;
  private final ZoneId zone;

  public MonotonicClock() {
    this(Instant.now(), System.nanoTime(), ZoneOffset.UTC);
  }

  private MonotonicClock(Instant origin, long originNanos, ZoneId zone) {
    this.origin = origin;
    this.originNanos = originNanos;
    this.zone = zone;
  }

  @Override
  public Instant instant() {
    return origin.plusNanos(System.nanoTime() - originNanos);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId other) {
    return new MonotonicClock(origin, originNanos, other);
  }
}
