package dev.kiln.worker.capacity;

import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.SizeClass;
import java.util.List;
import java.util.Optional;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What this worker can take: its build resources split into equal slots. A build of at most one slot's share
 * always fits in a free slot, and a slot claims only from its pool's size class, within that share, so a slot that
 * is free may claim without checking sizes.
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
  /** False while the node's Docker engine does not answer: nothing fits then. */
  private volatile boolean engineAvailable = true;

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

  /** The pool this worker belongs to: the largest size class one slot holds whole, the only builds it claims. */
  public Optional<SizeClass> pool() {
    Amount slot = perSlot();
    return SizeClass.poolOf(new Resources(slot.cpu(), slot.memoryMb(), slot.diskGb()));
  }

  /** Whether the node's Docker engine answers; a worker whose engine is down takes no builds. */
  public boolean engineAvailable() {
    return engineAvailable;
  }

  public void engineAvailable(boolean available) {
    engineAvailable = available;
  }

  public Amount free() {
    if (!engineAvailable) {
      return new Amount(0, 0, 0);
    }
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
    return engineAvailable ? Math.max(0, slots - running.size()) : 0;
  }

  public List<String> runningBuilds() {
    return List.copyOf(running.keySet());
  }
}
