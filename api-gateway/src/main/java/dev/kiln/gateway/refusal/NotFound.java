package dev.kiln.gateway.refusal;

/** Nothing of the caller's organization has this id or name (another organization's things are missing too). */
public final class NotFound extends Refusal {
  public NotFound(String message) {
    super(message);
  }
}
