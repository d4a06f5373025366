package dev.kiln.gateway.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * Keys in the order they were stamped, each with its stamp: what a projection moves out of the heap once it has not
 * been stamped for a while, oldest first. A key stamped again comes out again at its new stamp; the caller tells a
 * stale one by its own state. Used by one thread (the projection's tailer).
 */
final class Ageing {
  private final ArrayDeque<Stamp> stamps = new ArrayDeque<>();
  private final Duration kept;
  private final Clock clock;

  /** One stamp of a key. */
  private record Stamp(String key, Instant at) {}

  Ageing(Duration kept, Clock clock) {
    this.kept = kept;
    this.clock = clock;
  }

  void stamp(String key, Instant at) {
    stamps.addLast(new Stamp(key, at));
  }

  /** The moment before which a stamp is due. */
  Instant cutoff() {
    return clock.instant().minus(kept);
  }

  /** Hands {@code moveOut} every key stamped before the cutoff, oldest stamp first, and forgets those stamps. */
  void forEachDue(Consumer<String> moveOut) {
    Instant cutoff = cutoff();
    while (!stamps.isEmpty() && stamps.peekFirst().at().isBefore(cutoff)) {
      moveOut.accept(stamps.removeFirst().key());
    }
  }
}
