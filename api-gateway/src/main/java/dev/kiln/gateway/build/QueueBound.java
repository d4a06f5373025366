package dev.kiln.gateway.build;

import java.time.Duration;

/**
 * How far the queue of accepted, unclaimed builds may grow: as long as a new build is expected to be claimed within
 * {@code maxWait} ({@code KILN_MAX_QUEUE_WAIT}; zero queues nothing beyond the free slots), and never past
 * {@code maxQueued} builds ({@code KILN_MAX_QUEUED_BUILDS}). Before any build ended, a build is expected to take
 * {@code unknownBuildDuration}.
 */
public record QueueBound(Duration maxWait, int maxQueued, Duration unknownBuildDuration) {
  /** What a build is taken to cost a slot before any ended since the gateway started: a small build's time. */
  public static final Duration UNKNOWN_BUILD_DURATION = Duration.ofSeconds(30);

  public QueueBound {
    if (maxWait.isNegative() || maxQueued < 0 || unknownBuildDuration.isNegative() || unknownBuildDuration.isZero()) {
      throw new IllegalArgumentException("queue bounds must not be negative, and a build takes some time");
    }
  }

  /**
   * When the last of {@code ahead} builds gets one of {@code slots} slots, each busy for {@code perBuild}: the
   * slots free up one after another, so {@code ahead / slots} builds' time.
   */
  static Duration expectedWait(int ahead, int slots, Duration perBuild) {
    if (ahead <= 0) {
      return Duration.ZERO;
    }
    return perBuild.multipliedBy(ahead).dividedBy(Math.max(1, slots));
  }
}
