package dev.kiln.gateway.refusal;

/** Kafka or the template ledger did not answer in time; the request is worth retrying shortly. */
public final class Unavailable extends Refusal {
  public Unavailable(String message) {
    super(message);
  }
}
