package dev.kiln.gateway.refusal;

/**
 * A request Kiln refuses, as a domain fact (invalid, missing, taken, over a limit, nowhere to run). Services throw
 * these; {@code dev.kiln.gateway.http.HttpStatuses} alone decides the HTTP status each one answers.
 */
public abstract class Refusal extends RuntimeException {
  protected Refusal(String message) {
    super(message, null, false, false);
  }
}
