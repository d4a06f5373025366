package dev.kiln.worker.sweep;

import java.time.Instant;
import java.util.Optional;

/** What this worker knows of the fleet from its topics: ended builds, latest attempts, live worker processes. */
public interface FleetKnowledge {

  /** Whether every view has read what its topic held when this worker started: until then, judge nothing. */
  boolean caughtUp();

  boolean isTerminal(String buildId);

  /** The highest attempt seen for the build, or 0. */
  int latestAttempt(String buildId);

  /**
   * When the worker process {@code workerInstance} was last heard from; empty when it is not the current process of
   * its worker id (it stopped, or was replaced by a restart) or was never heard of.
   */
  Optional<Instant> lastHeard(String workerInstance);
}
