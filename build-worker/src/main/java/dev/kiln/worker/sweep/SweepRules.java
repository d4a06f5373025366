package dev.kiln.worker.sweep;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Decides whether a build container on this engine belongs to nobody any more: its build ended, its build was
 * re-claimed at a higher attempt, or the worker process that made it has been silent longer than the silence limit
 * (more than a claim lock, so its claim has lapsed and it may not end the build). A worker frozen for less than that
 * keeps its container.
 */
public final class SweepRules {
  private final String ownInstance;
  private final Duration silenceLimit;
  private final Clock clock;

  public SweepRules(String ownInstance, Duration silenceLimit, Clock clock) {
    this.ownInstance = ownInstance;
    this.silenceLimit = silenceLimit;
    this.clock = clock;
  }

  /** Why {@code container}, created at {@code createdAt}, should go; empty to keep it. */
  public Optional<String> reasonToRemove(BuildContainerName container, Instant createdAt, FleetKnowledge fleet) {
    if (!fleet.caughtUp()) {
      return Optional.empty();
    }
    if (fleet.isTerminal(container.buildId())) {
      return Optional.of("build " + container.buildId() + " has ended");
    }
    int latest = fleet.latestAttempt(container.buildId());
    if (latest > container.attempt()) {
      return Optional.of("build " + container.buildId() + " was re-claimed as attempt " + latest);
    }
    if (container.workerInstance().equals(ownInstance)) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    // A container younger than a lock may belong to a worker whose first heartbeat has not been read yet.
    if (createdAt.plus(silenceLimit).isAfter(now)) {
      return Optional.empty();
    }
    Optional<Instant> heard = fleet.lastHeard(container.workerInstance());
    if (heard.isEmpty()) {
      return Optional.of("worker process " + container.workerInstance() + " is gone");
    }
    if (heard.get().plus(silenceLimit).isBefore(now)) {
      return Optional.of("worker process " + container.workerInstance() + " silent since " + heard.get());
    }
    return Optional.empty();
  }
}
