package dev.kiln.gateway.refusal;

/** A credential (a signed upload link, an API key) does not allow this request. */
public final class Forbidden extends Refusal {
  public Forbidden(String message) {
    super(message);
  }
}
