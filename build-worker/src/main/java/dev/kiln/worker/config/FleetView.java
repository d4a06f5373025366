package dev.kiln.worker.config;

import dev.kiln.worker.messaging.TerminalBuilds;
import dev.kiln.worker.messaging.WorkerDirectory;
import dev.kiln.worker.sweep.FleetKnowledge;
import java.time.Instant;
import java.util.Optional;

/** {@link FleetKnowledge} from the worker's topic views: ended builds and attempts, and the worker directory. */
final class FleetView implements FleetKnowledge {
  private final TerminalBuilds builds;
  private final WorkerDirectory workers;

  FleetView(TerminalBuilds builds, WorkerDirectory workers) {
    this.builds = builds;
    this.workers = workers;
  }

  @Override
  public boolean caughtUp() {
    return builds.caughtUp() && workers.caughtUp();
  }

  @Override
  public boolean isTerminal(String buildId) {
    return builds.isTerminal(buildId);
  }

  @Override
  public int latestAttempt(String buildId) {
    return builds.latestAttempt(buildId);
  }

  @Override
  public Optional<Instant> lastHeard(String workerInstance) {
    return workers.lastHeard(workerInstance);
  }
}
