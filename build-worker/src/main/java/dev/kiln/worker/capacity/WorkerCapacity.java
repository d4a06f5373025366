package dev.kiln.worker.capacity;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this worker can take: its build resources split into equal slots. A build of at most one slot's share
 * always fits in a free slot, so a slot that is free may claim without checking sizes.
 */
public final class WorkerCapacity {
  /** Resources in the units of the API: vCPUs, MB of memory, GB of disk. */
  public record Amount(int cpu, int memoryMb, int diskGb) {
    Amount minus(Amount other) {
      return new Amount(cpu - other.cpu, memoryMb - other.memoryMb, diskGb - other.diskGb);
    }
  }

  private final Amount total;
  private final int slots;
  private final Map<String, Amount> running = new ConcurrentHashMap<>();

  public WorkerCapacity(Amount total, int slots) {
    this.total = total;
    this.slots = slots;
  }

  public void started(String buildId, Amount resources) {
    running.put(buildId, resources);
  }

  public void finished(String buildId) {
    running.remove(buildId);
  }

  public Amount total() {
    return total;
  }

  /**
   * The largest build this worker admits. Memory and disk are divided between the slots (they are exclusive); CPU
   * is not: a build's cpu is a limit on a time-shared resource, so any one build may use every core.
   */
  public Amount perSlot() {
    return new Amount(total.cpu(), total.memoryMb() / slots, total.diskGb() / slots);
  }

  public Amount free() {
    Amount free = total;
    for (Amount used : running.values()) {
      free = free.minus(used);
    }
    return free;
  }

  public int slots() {
    return slots;
  }

  public int freeSlots() {
    return Math.max(0, slots - running.size());
  }

  public List<String> runningBuilds() {
    return List.copyOf(running.keySet());
  }
}
