package dev.kiln.gateway.refusal;

/** The caller's organization is over one of its own limits; {@code retryAfterSeconds} says when it may try again. */
public final class RateLimited extends Refusal {
  private final long retryAfterSeconds;

  public RateLimited(String message, long retryAfterSeconds) {
    super(message);
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
