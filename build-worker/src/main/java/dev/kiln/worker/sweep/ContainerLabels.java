package dev.kiln.worker.sweep;

import java.util.Map;
import java.util.Optional;

/**
 * What a build container's labels say about it: whose build and attempt it runs, which worker process made it and
 * on which Docker engine. The labels outlive the worker, so any worker on the engine can judge a stray container.
 */
public record ContainerLabels(String buildId, int attempt, String workerId, String workerInstance, String engineId) {
  static final String BUILD_ID = "kiln.build-id";
  static final String ATTEMPT = "kiln.attempt";
  static final String WORKER_ID = "kiln.worker-id";
  static final String WORKER_INSTANCE = "kiln.worker-instance";
  static final String ENGINE_ID = "kiln.engine-id";

  /** The label every build container carries: list containers by it. */
  public static final String BUILD_LABEL = BUILD_ID;

  /** The labels to put on a container and on the images committed from it. */
  public Map<String, String> asMap() {
    return Map.of(BUILD_ID, buildId, ATTEMPT, String.valueOf(attempt), WORKER_ID, workerId,
        WORKER_INSTANCE, workerInstance, ENGINE_ID, engineId);
  }

  /** The labels of a build container, or empty for one that is not (or predates the instance label). */
  public static Optional<ContainerLabels> of(Map<String, String> labels) {
    if (labels == null || !labels.keySet().containsAll(java.util.List.of(BUILD_ID, ATTEMPT, WORKER_ID,
        WORKER_INSTANCE, ENGINE_ID))) {
      return Optional.empty();
    }
    try {
      return Optional.of(new ContainerLabels(labels.get(BUILD_ID), Integer.parseInt(labels.get(ATTEMPT)),
          labels.get(WORKER_ID), labels.get(WORKER_INSTANCE), labels.get(ENGINE_ID)));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
