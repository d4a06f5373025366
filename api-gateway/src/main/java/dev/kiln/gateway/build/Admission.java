package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.schema.kafka.SizeClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToIntFunction;
import java.util.function.Supplier;

/**
 * Admits a build into the queue on Kafka, for the smallest pool of live workers whose {@link SizeClass} holds it,
 * while that pool's queue is expected to reach it within the queue's wait bound, under a hard cap of queued builds.
 * No such pool: 503 at once. A full queue: 503 with the time until it is expected to take the build again.
 */
public final class Admission {
  private final Supplier<List<WorkerHeartbeat>> liveWorkers;
  private final ToIntFunction<SizeClass> queuedBuilds;
  private final Supplier<Optional<Duration>> typicalBuild;
  private final QueueBound bound;

  /**
   * {@code queuedBuilds}: builds accepted and not yet claimed, fleet-wide, queued for the given pool;
   * {@code typicalBuild}: how long a slot recently spent on a build, if known.
   */
  public Admission(Supplier<List<WorkerHeartbeat>> liveWorkers, ToIntFunction<SizeClass> queuedBuilds,
      Supplier<Optional<Duration>> typicalBuild, QueueBound bound) {
    this.liveWorkers = liveWorkers;
    this.queuedBuilds = queuedBuilds;
    this.typicalBuild = typicalBuild;
    this.bound = bound;
  }

  /** The pool the build is queued for, or a refusal. */
  public SizeClass admit(Resources request) {
    Map<SizeClass, List<WorkerHeartbeat>> pools = new EnumMap<>(SizeClass.class);
    for (WorkerHeartbeat worker : liveWorkers.get()) {
      SizeClass.poolOf(worker.getMaxBuild())
          .ifPresent(pool -> pools.computeIfAbsent(pool, any -> new ArrayList<>()).add(worker));
    }
    SizeClass pool = SizeClass.queueFor(request, pools.keySet())
        .orElseThrow(() -> new NoCapacity("no available nodes"));
    List<WorkerHeartbeat> fitting = pools.get(pool);
    int freeSlots = fitting.stream().mapToInt(WorkerHeartbeat::getFreeSlots).sum();
    int slots = fitting.stream().mapToInt(WorkerHeartbeat::getSlots).sum();
    int queued = queuedBuilds.applyAsInt(pool);
    if (queued < freeSlots) {
      return pool;
    }
    Duration perBuild = typicalBuild.get().orElse(bound.unknownBuildDuration());
    // Builds that must leave a slot before this one gets one: the queue beyond the free slots, and this build.
    int ahead = queued - freeSlots + 1;
    Duration wait = QueueBound.expectedWait(ahead, slots, perBuild);
    if (queued < bound.maxQueued() && wait.compareTo(bound.maxWait()) <= 0) {
      return pool;
    }
    Duration overCap = QueueBound.expectedWait(queued - bound.maxQueued() + 1, slots, perBuild);
    Duration overWait = wait.minus(bound.maxWait());
    Duration retry = overCap.compareTo(overWait) > 0 ? overCap : overWait;
    throw new NoCapacity("no available nodes", Math.max(1, (retry.toMillis() + 999) / 1000));
  }
}
