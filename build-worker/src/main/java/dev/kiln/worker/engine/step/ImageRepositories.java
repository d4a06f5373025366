package dev.kiln.worker.engine.step;

/** The port for image housekeeping outside a build: removing a deleted template's tags from this node. */
public interface ImageRepositories {
  /** Removes every tag of {@code repository} (e.g. {@code kiln/org/name}); returns how many were removed. */
  int removeRepository(String repository) throws EngineException;
}
