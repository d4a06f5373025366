package dev.kiln.template;

import java.time.Duration;
import java.util.Set;

/**
 * The ready check's kinds and defaults: what the gateway accepts and fills in, and what the worker waits for
 * when a startCmd comes without a readyCmd.
 */
public final class ReadyChecks {
  /** port, url, file, process or command: what the worker knows how to probe. */
  public static final Set<String> TYPES = Set.of("port", "url", "file", "process", "command");
  public static final int DEFAULT_TIMEOUT_MS = 30_000;
  public static final int DEFAULT_INTERVAL_MS = 2_000;

  private ReadyChecks() {}

  public static Duration defaultTimeout() {
    return Duration.ofMillis(DEFAULT_TIMEOUT_MS);
  }

  public static Duration defaultInterval() {
    return Duration.ofMillis(DEFAULT_INTERVAL_MS);
  }
}
