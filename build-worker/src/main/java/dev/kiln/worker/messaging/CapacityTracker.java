package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildRequested;
import dev.kiln.worker.capacity.WorkerCapacity;

/** Keeps the worker's capacity in step with its slots and tells the gateways at once when it changes. */
public final class CapacityTracker {
  private final WorkerCapacity capacity;
  private final HeartbeatPublisher heartbeats;

  public CapacityTracker(WorkerCapacity capacity, HeartbeatPublisher heartbeats) {
    this.capacity = capacity;
    this.heartbeats = heartbeats;
  }

  void started(BuildRequested request) {
    var resources = request.getResources();
    capacity.started(request.getBuildId(),
        new WorkerCapacity.Amount(resources.getCpu(), resources.getMemoryMb(), resources.getDiskGb()));
    heartbeats.beat();
  }

  /** A slot may claim only while the engine answers: a build it cannot run would only spend a delivery. */
  boolean mayClaim() {
    return capacity.engineAvailable();
  }

  void finished(String buildId) {
    capacity.finished(buildId);
    heartbeats.beat();
  }
}
