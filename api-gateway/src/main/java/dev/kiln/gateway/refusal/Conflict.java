package dev.kiln.gateway.refusal;

/** The request contradicts what exists: a taken name, a build already running or ended, other bytes for a blob. */
public final class Conflict extends Refusal {
  public Conflict(String message) {
    super(message);
  }
}
