package dev.kiln.worker.messaging;

import dev.kiln.archive.ArchiveLimits;
import java.time.Duration;

/**
 * This worker's side of every plan: how long a step may run, what an upload may hold, the fleet registry that
 * template images are pushed to (null: they stay on this node), the shared cache repository (null: none) and whether
 * cache entries are shared across organizations.
 */
public record PlanSettings(Duration stepTimeout, ArchiveLimits archiveLimits, String publishRegistry,
    String cacheRepository, boolean sharedCache) {
  public PlanSettings {
    publishRegistry = publishRegistry == null || publishRegistry.isBlank() ? null : publishRegistry;
    cacheRepository = cacheRepository == null || cacheRepository.isBlank() ? null : cacheRepository;
  }

  public PlanSettings(Duration stepTimeout, ArchiveLimits archiveLimits, String publishRegistry) {
    this(stepTimeout, archiveLimits, publishRegistry, null, false);
  }
}
