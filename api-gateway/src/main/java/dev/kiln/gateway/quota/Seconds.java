package dev.kiln.gateway.quota;

/** Whole seconds for headers that carry them: a wait is rounded up, and never zero once there is one. */
final class Seconds {
  private static final long NANOS = 1_000_000_000L;

  private Seconds() {}

  static long ceil(long nanos) {
    return nanos <= 0 ? 0 : (nanos + NANOS - 1) / NANOS;
  }
}
