package dev.kiln.gateway.projection;

import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;

/** Lets a request wait, briefly, for something a projection has not seen yet (written via another gateway). */
final class ChangeSignal {
  private final Object changed = new Object();

  /** Wakes every waiter: the projection changed. */
  void changed() {
    synchronized (changed) {
      changed.notifyAll();
    }
  }

  /** {@code lookup}'s answer, asked again after each change until it is present or {@code wait} has passed. */
  <T> Optional<T> await(Supplier<Optional<T>> lookup, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    synchronized (changed) {
      // Asked under the lock that changed() notifies under: a change between the question and the wait is not lost.
      Optional<T> found = lookup.get();
      while (found.isEmpty() && System.nanoTime() < deadline) {
        try {
          changed.wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        found = lookup.get();
      }
      return found;
    }
  }
}
