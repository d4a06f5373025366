package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Admits a build into the queue on Kafka while some live worker admits builds of its size and the queue those
 * workers serve is expected to reach it within the queue's wait bound, under a hard cap of queued builds. No such
 * worker: 503 at once. A full queue: 503 with the time until it is expected to take the build again.
 */
public final class Admission {
  private final Supplier<List<WorkerHeartbeat>> liveWorkers;
  private final IntSupplier queuedBuilds;
  private final Supplier<Optional<Duration>> typicalBuild;
  private final QueueBound bound;

  /**
   * {@code queuedBuilds}: builds accepted and not yet claimed, fleet-wide; {@code typicalBuild}: how long a slot
   * recently spent on a build, if known.
   */
  public Admission(Supplier<List<WorkerHeartbeat>> liveWorkers, IntSupplier queuedBuilds,
      Supplier<Optional<Duration>> typicalBuild, QueueBound bound) {
    this.liveWorkers = liveWorkers;
    this.queuedBuilds = queuedBuilds;
    this.typicalBuild = typicalBuild;
    this.bound = bound;
  }

  public void admit(Resources request) {
    List<WorkerHeartbeat> fitting = liveWorkers.get().stream().filter(worker -> fits(request, worker.getMaxBuild()))
        .toList();
    if (fitting.isEmpty()) {
      throw new NoCapacity("no available nodes");
    }
    int freeSlots = fitting.stream().mapToInt(WorkerHeartbeat::getFreeSlots).sum();
    int slots = fitting.stream().mapToInt(WorkerHeartbeat::getSlots).sum();
    int queued = queuedBuilds.getAsInt();
    if (queued < freeSlots) {
      return;
    }
    Duration perBuild = typicalBuild.get().orElse(bound.unknownBuildDuration());
    // Builds that must leave a slot before this one gets one: the queue beyond the free slots, and this build.
    int ahead = queued - freeSlots + 1;
    Duration wait = QueueBound.expectedWait(ahead, slots, perBuild);
    if (queued < bound.maxQueued() && wait.compareTo(bound.maxWait()) <= 0) {
      return;
    }
    Duration overCap = QueueBound.expectedWait(queued - bound.maxQueued() + 1, slots, perBuild);
    Duration overWait = wait.minus(bound.maxWait());
    Duration retry = overCap.compareTo(overWait) > 0 ? overCap : overWait;
    throw new NoCapacity("no available nodes", Math.max(1, (retry.toMillis() + 999) / 1000));
  }

  static boolean fits(Resources request, Resources max) {
    return request.getCpu() <= max.getCpu() && request.getMemoryMb() <= max.getMemoryMb()
        && request.getDiskGb() <= max.getDiskGb();
  }
}
