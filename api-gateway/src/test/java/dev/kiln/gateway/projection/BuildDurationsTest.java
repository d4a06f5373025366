package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildDurationsTest {
  private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

  private static BuildStatusChanged event(String buildId, BuildStatus status, String errorCode, long atSeconds) {
    Instant at = T0.plusSeconds(atSeconds);
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("org")
        .setTemplateName("t").setAttempt(1).setWorkerId("w").setStatus(status).setProgress(0)
        .setErrorCode(errorCode).setErrorMessage(errorCode).setStartedAt(T0).setOccurredAt(at).build();
  }

  private static void build(BuildDurations durations, String id, long claimedAt, long endedAt, String errorCode) {
    durations.accept(event(id, BuildStatus.BUILDING, null, claimedAt));
    durations.accept(event(id, BuildStatus.BUILDING, null, claimedAt + 1));
    durations.accept(event(id, errorCode == null ? BuildStatus.ACTIVE : BuildStatus.FAILED, errorCode, endedAt));
  }

  @Test
  void typical_isTheMedianFromFirstClaimToEnd() {
    BuildDurations durations = new BuildDurations();
    assertThat(durations.typical()).isEmpty();

    build(durations, "a", 0, 10, null);
    build(durations, "b", 5, 35, "step_failed");
    build(durations, "c", 0, 20, null);

    assertThat(durations.typical()).contains(Duration.ofSeconds(20));
  }

  @Test
  void cancelledBuilds_andEndsWithoutAClaim_sayNothing() {
    BuildDurations durations = new BuildDurations();

    build(durations, "cancelled", 0, 1, "cancelled");
    durations.accept(event("unseen", BuildStatus.ACTIVE, null, 100));

    assertThat(durations.typical()).isEmpty();
  }

  @Test
  void onlyTheLatestBuildsCount() {
    BuildDurations durations = new BuildDurations();
    for (int i = 0; i < BuildDurations.KEPT; i++) {
      build(durations, "old-" + i, 0, 1000, null);
    }
    for (int i = 0; i < BuildDurations.KEPT; i++) {
      build(durations, "new-" + i, 0, 5, null);
    }

    assertThat(durations.typical()).contains(Duration.ofSeconds(5));
  }
}
