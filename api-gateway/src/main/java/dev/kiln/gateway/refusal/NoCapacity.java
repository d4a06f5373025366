package dev.kiln.gateway.refusal;

/**
 * No live worker can take the build, or the queue for such workers is full; nothing was queued. Carries when to
 * ask again, if the queue's expected wait says so.
 */
public final class NoCapacity extends Refusal {
  private final Long retryAfterSeconds;

  public NoCapacity(String message) {
    this(message, null);
  }

  public NoCapacity(String message, Long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds until the queue is expected to take the build; null: no estimate. */
  public Long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
