package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;

/** A request no worker could build as written, with the reason its build ends with. */
final class PlanRefused extends IllegalArgumentException {
  private final FailureReason reason;

  PlanRefused(FailureReason reason, String message) {
    super(message);
    this.reason = reason;
  }

  FailureReason reason() {
    return reason;
  }
}
