package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BuildViewsTest {
  private static final Instant ACCEPTED = Instant.parse("2026-11-29T10:00:00Z");

  private static BuildStatusChanged event(int attempt, BuildStatus status, int progress) {
    return BuildStatusChanged.newBuilder().setBuildId("b1").setTemplateId("b1").setOrganizationId("org")
        .setTemplateName("app").setAttempt(attempt).setStatus(status).setProgress(progress)
        .setStartedAt(ACCEPTED.plusSeconds(5)).setOccurredAt(ACCEPTED.plusSeconds(6)).build();
  }

  @Test
  void apply_afterTerminal_keepsFirstTerminal() {
    BuildView failed = BuildViews.apply(null, event(1, BuildStatus.FAILED, 40));

    BuildView after = BuildViews.apply(failed, event(2, BuildStatus.ACTIVE, 100));

    assertThat(after.status()).isEqualTo(BuildStatus.FAILED);
  }

  @Test
  void apply_olderAttempt_isIgnored() {
    BuildView second = BuildViews.apply(null, event(2, BuildStatus.BUILDING, 50));

    BuildView after = BuildViews.apply(second, event(1, BuildStatus.BUILDING, 90));

    assertThat(after.progress()).isEqualTo(50);
    assertThat(after.attempt()).isEqualTo(2);
  }

  @Test
  void apply_olderAttemptsEnd_committedAfterTheNextAttemptBegan_ends() {
    BuildView next = BuildViews.apply(null, event(2, BuildStatus.BUILDING, 0));
    BuildView after = BuildViews.apply(next, event(1, BuildStatus.ACTIVE, 100));
    assertThat(after.status()).isEqualTo(BuildStatus.ACTIVE);
  }

  @Test
  void apply_laterEventOfSameAttempt_advancesAndKeepsAcceptTime() {
    BuildView first = BuildViews.apply(null, event(1, BuildStatus.BUILDING, 10));

    BuildView after = BuildViews.apply(first, event(1, BuildStatus.ACTIVE, 100));

    assertThat(after.status()).isEqualTo(BuildStatus.ACTIVE);
    assertThat(after.startedAt()).isEqualTo(first.startedAt());
  }
}
