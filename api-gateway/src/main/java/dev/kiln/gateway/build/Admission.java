package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;

/**
 * Admits a build only when some live worker could take it now: one that admits builds of its size and, over all
 * such workers, more free slots than requests accepted but not yet claimed. Otherwise 503, and nothing is queued.
 */
public final class Admission {
  private final Supplier<List<WorkerHeartbeat>> liveWorkers;
  private final IntSupplier pendingBuilds;

  public Admission(Supplier<List<WorkerHeartbeat>> liveWorkers, IntSupplier pendingBuilds) {
    this.liveWorkers = liveWorkers;
    this.pendingBuilds = pendingBuilds;
  }

  public void admit(Resources request) {
    int freeSlots = liveWorkers.get().stream().filter(worker -> fits(request, worker.getMaxBuild()))
        .mapToInt(WorkerHeartbeat::getFreeSlots).sum();
    if (freeSlots <= pendingBuilds.getAsInt()) {
      throw new NoCapacity("no available nodes");
    }
  }

  static boolean fits(Resources request, Resources max) {
    return request.getCpu() <= max.getCpu() && request.getMemoryMb() <= max.getMemoryMb()
        && request.getDiskGb() <= max.getDiskGb();
  }
}
