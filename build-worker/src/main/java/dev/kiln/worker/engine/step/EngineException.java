package dev.kiln.worker.engine.step;

/**
 * A failure of the container engine, not of the user's step. {@code code} says which kind for the build's
 * error message (e.g. {@code image_pull_failed}).
 */
public class EngineException extends Exception {
  private final String code;

  public EngineException(String code, String message, Throwable cause) {
    super(message, cause);
    this.code = code;
  }

  public String code() {
    return code;
  }
}
