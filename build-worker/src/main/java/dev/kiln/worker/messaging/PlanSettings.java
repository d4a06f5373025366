package dev.kiln.worker.messaging;

import dev.kiln.archive.ArchiveLimits;
import java.time.Duration;

/**
 * This worker's side of every plan: how long a step may run, what an upload may hold, and the fleet registry that
 * template images are pushed to (null: they stay on this node).
 */
public record PlanSettings(Duration stepTimeout, ArchiveLimits archiveLimits, String publishRegistry) {
  public PlanSettings {
    publishRegistry = publishRegistry == null || publishRegistry.isBlank() ? null : publishRegistry;
  }
}
