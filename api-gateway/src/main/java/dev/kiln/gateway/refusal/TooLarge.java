package dev.kiln.gateway.refusal;

/** The request body is larger than the gateway reads. */
public final class TooLarge extends Refusal {
  public TooLarge(String message) {
    super(message);
  }
}
