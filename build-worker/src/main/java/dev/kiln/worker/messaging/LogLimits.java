package dev.kiln.worker.messaging;

/**
 * How much output one build attempt may send to the log topic: past either bound the log says so once and drops the
 * rest, and the build goes on. Without it a {@code RUN yes} fills the broker's disk and every gateway's log index.
 */
public record LogLimits(long maxLines, long maxBytes) {
  public static final LogLimits DEFAULT = new LogLimits(100_000, 32L * 1024 * 1024);

  public LogLimits {
    if (maxLines < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("a build's log limits must be positive");
    }
  }
}
