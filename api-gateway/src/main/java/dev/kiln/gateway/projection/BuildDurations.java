package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How long builds recently took from their first claim to their end, read from the status topic: what the
 * admission's queue bound expects a slot to spend on the next build. Holds the claim time of builds still running
 * and the last {@value #KEPT} durations, nothing more.
 */
public final class BuildDurations {
  static final int KEPT = 50;
  private static final String CANCELLED = "cancelled";
  private final Map<String, Instant> claimedAt = new ConcurrentHashMap<>();
  private final Deque<Duration> recent = new ArrayDeque<>();

  /** Folds one status event in: the first of a build marks its claim, its end gives its duration. */
  public void accept(BuildStatusChanged status) {
    if (status.getStatus() == BuildStatus.BUILDING) {
      claimedAt.putIfAbsent(status.getBuildId(), status.getOccurredAt());
      return;
    }
    Instant claimed = claimedAt.remove(status.getBuildId());
    // A cancel cuts a build short, and an end whose claim this gateway did not see says nothing of a slot's time.
    if (claimed != null && !CANCELLED.equals(status.getErrorCode())) {
      record(Duration.between(claimed, status.getOccurredAt()));
    }
  }

  private synchronized void record(Duration duration) {
    if (duration.isNegative()) {
      return;
    }
    recent.addLast(duration);
    if (recent.size() > KEPT) {
      recent.removeFirst();
    }
  }

  /** The median of the recent durations, if any build ended since this gateway started reading. */
  public synchronized Optional<Duration> typical() {
    if (recent.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(recent.stream().sorted().toList().get(recent.size() / 2));
  }
}
