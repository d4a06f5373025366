package dev.kiln.gateway.refusal;

/** A credential that is not an API key (a signed upload link) does not allow this request. */
public final class Forbidden extends Refusal {
  public Forbidden(String message) {
    super(message);
  }
}
