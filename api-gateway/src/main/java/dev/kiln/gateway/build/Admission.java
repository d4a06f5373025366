package dev.kiln.gateway.build;

import dev.kiln.gateway.http.ApiException;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.springframework.http.HttpStatus;

/**
 * Admits a build only when some live worker could take it now: one that admits builds of its size and, over all
 * such workers, more free slots than requests accepted but not yet claimed. Otherwise 503, and nothing is queued.
 */
public final class Admission {
  static final int RETRY_AFTER_SECONDS = 5;
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
      throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SERVICE_UNAVAILABLE", "no available nodes",
          RETRY_AFTER_SECONDS);
    }
  }

  static boolean fits(Resources request, Resources max) {
    return request.getCpu() <= max.getCpu() && request.getMemoryMb() <= max.getMemoryMb()
        && request.getDiskGb() <= max.getDiskGb();
  }
}
