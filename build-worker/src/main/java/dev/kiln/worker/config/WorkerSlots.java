package dev.kiln.worker.config;

import dev.kiln.worker.messaging.ClaimLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.context.SmartLifecycle;

/** Starts one claim loop thread per build slot once the context is up, and stops them on shutdown. */
public class WorkerSlots implements SmartLifecycle {
  private final int slots;
  private final Supplier<ClaimLoop> loops;
  private final List<ClaimLoop> running = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();

  public WorkerSlots(int slots, Supplier<ClaimLoop> loops) {
    this.slots = slots;
    this.loops = loops;
  }

  @Override
  public synchronized void start() {
    for (int slot = 0; slot < slots; slot++) {
      ClaimLoop loop = loops.get();
      Thread thread = new Thread(loop, "build-slot-" + slot);
      running.add(loop);
      threads.add(thread);
      thread.start();
    }
  }

  @Override
  public synchronized void stop() {
    running.forEach(ClaimLoop::stop);
    for (Thread thread : threads) {
      try {
        thread.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    running.clear();
    threads.clear();
  }

  @Override
  public synchronized boolean isRunning() {
    return !threads.isEmpty();
  }
}
