package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.worker.engine.FailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlanMapperTest {
  static final PlanSettings SETTINGS = new PlanSettings(Duration.ofMinutes(5), ArchiveLimits.DEFAULT, null);

  @Test
  void readyCheckWithANegativeInterval_isRefusedAsAnInvalidReadyCheck() {
    // Before: Thread.sleep(-1) threw mid-build, and the request came back on every delivery.
    BuildRequested request = BuildRequested.newBuilder().setBuildId("b1").setTemplateId("b1")
        .setOrganizationId("default").setTemplateName("t").setRequestId("r").setRequestedAt(Instant.now())
        .setFromImage("busybox:latest").setResources(new Resources(1, 512, 1))
        .setSteps(List.of(Step.newBuilder().setKind(StepKind.RUN).setArgs(List.of("true")).build()))
        .setStartCmd("sleep 600")
        .setReadyCmd(ReadyCheck.newBuilder().setType("command").setCommand("true").setTimeoutMs(5000)
            .setIntervalMs(-1).build())
        .build();

    assertThatThrownBy(() -> PlanMapper.toPlan(request, SETTINGS, null)).isInstanceOf(PlanRefused.class)
        .satisfies(e -> org.assertj.core.api.Assertions.assertThat(((PlanRefused) e).reason())
            .isEqualTo(FailureReason.INVALID_READY_CHECK));
  }
}
