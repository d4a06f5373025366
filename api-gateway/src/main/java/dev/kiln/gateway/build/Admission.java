package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.schema.kafka.SizeClass;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.function.Supplier;

/**
 * Admits a build into the queue on Kafka while some live worker serves its {@link SizeClass} and the queue those
 * workers serve is expected to reach it within the queue's wait bound, under a hard cap of queued builds. No such
 * worker: 503 at once. A full queue: 503 with the time until it is expected to take the build again.
 */
public final class Admission {
  private final Supplier<List<WorkerHeartbeat>> liveWorkers;
  private final ToIntFunction<SizeClass> queuedBuilds;
  private final Supplier<Optional<Duration>> typicalBuild;
  private final QueueBound bound;

  /**
   * {@code queuedBuilds}: builds accepted and not yet claimed, fleet-wide, of the given size class or a smaller one;
   * {@code typicalBuild}: how long a slot recently spent on a build, if known.
   */
  public Admission(Supplier<List<WorkerHeartbeat>> liveWorkers, ToIntFunction<SizeClass> queuedBuilds,
      Supplier<Optional<Duration>> typicalBuild, QueueBound bound) {
    this.liveWorkers = liveWorkers;
    this.queuedBuilds = queuedBuilds;
    this.typicalBuild = typicalBuild;
    this.bound = bound;
  }

  public void admit(Resources request) {
    SizeClass sizeClass = SizeClass.of(request).orElseThrow(() -> new NoCapacity("no available nodes"));
    List<WorkerHeartbeat> fitting = liveWorkers.get().stream()
        .filter(worker -> sizeClass.fits(worker.getMaxBuild())).toList();
    if (fitting.isEmpty()) {
      throw new NoCapacity("no available nodes");
    }
    int freeSlots = fitting.stream().mapToInt(WorkerHeartbeat::getFreeSlots).sum();
    int slots = fitting.stream().mapToInt(WorkerHeartbeat::getSlots).sum();
    int queued = queuedBuilds.applyAsInt(largestServed(fitting));
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

  /**
   * The largest class any of these workers serves: they also claim every smaller class, so the builds queued in
   * those compete for their slots too.
   */
  private static SizeClass largestServed(List<WorkerHeartbeat> workers) {
    return workers.stream().flatMap(worker -> SizeClass.servedBy(worker.getMaxBuild()).stream())
        .max(Comparator.naturalOrder()).orElse(SizeClass.SMALL);
  }
}
