package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildStatus;
import java.time.Instant;

/** What a gateway knows of one build: its latest status as the API shows it. */
public record BuildView(
    String buildId,
    String templateId,
    String organizationId,
    String templateName,
    int attempt,
    BuildStatus status,
    int progress,
    String currentStep,
    String errorMessage,
    String imageRef,
    Instant startedAt,
    Instant completedAt,
    Integer logChunks) {

  public boolean terminal() {
    return status != BuildStatus.BUILDING;
  }
}
