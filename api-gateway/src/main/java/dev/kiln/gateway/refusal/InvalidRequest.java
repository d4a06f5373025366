package dev.kiln.gateway.refusal;

/** The request itself is malformed or out of range; the message names the field and the rule. */
public final class InvalidRequest extends Refusal {
  public InvalidRequest(String message) {
    super(message);
  }
}
