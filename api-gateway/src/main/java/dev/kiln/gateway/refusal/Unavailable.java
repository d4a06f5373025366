package dev.kiln.gateway.refusal;

/** Kafka, the template ledger or the blob store could not serve the request now; it is worth retrying shortly. */
public final class Unavailable extends Refusal {
  public Unavailable(String message) {
    super(message);
  }
}
