package dev.kiln.gateway.refusal;

/** No live worker can take the build now (or the queue for such workers is full); nothing was queued. */
public final class NoCapacity extends Refusal {
  public NoCapacity(String message) {
    super(message);
  }
}
