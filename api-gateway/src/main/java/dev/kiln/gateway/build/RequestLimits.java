package dev.kiln.gateway.build;

/**
 * Bounds on a build request's counts and lengths. Together with the 1 MiB body limit they keep every record a
 * request produces (the build request, the ledger's state) far below Kafka's 1 MB record limit.
 */
final class RequestLimits {
  static final int MAX_STEPS = 200;
  static final int MAX_ARGS_PER_STEP = 256;
  /** One RUN command, one CMD argument, one ENV pair, one path. */
  static final int MAX_ARG_CHARS = 65_536;
  static final int MAX_ENV_ENTRIES = 256;
  static final int MAX_START_CMD_CHARS = 16_384;
  static final int MAX_AGENT_VERSION_CHARS = 64;
  static final int MAX_READY_FIELD_CHARS = 4_096;
  static final int MIN_READY_TIMEOUT_MS = 1_000;
  static final int MAX_READY_TIMEOUT_MS = 3_600_000;
  static final int MIN_READY_INTERVAL_MS = 100;
  static final int MAX_READY_INTERVAL_MS = 600_000;

  private RequestLimits() {}
}
