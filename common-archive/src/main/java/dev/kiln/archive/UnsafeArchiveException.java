package dev.kiln.archive;

/** An archive Kiln refuses: a hostile or broken entry, or past a limit. The message says which and why. */
public class UnsafeArchiveException extends Exception {
  public UnsafeArchiveException(String message) {
    super(message);
  }
}
