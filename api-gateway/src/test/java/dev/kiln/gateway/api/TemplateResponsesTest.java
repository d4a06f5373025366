package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.ledger.TemplateLedger;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandKind;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The template detail reports the runtime config the worker builds, from the ledger's summary. */
class TemplateResponsesTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @BeforeAll
  static void trustKilnClasses() {
    KilnSerdes.allowKilnAvroClasses();
  }

  private static TemplateState stateOf(Step... steps) {
    BuildRequested request = BuildRequested.newBuilder().setBuildId("b1").setTemplateId("b1").setOrganizationId("org")
        .setTemplateName("app").setRequestId("req").setRequestedAt(NOW).setFromImage("debian:bookworm-slim")
        .setResources(new Resources(2, 1024, 4)).setStartCmd("serve").setSteps(List.of(steps)).build();
    TemplateCommand command = TemplateCommand.newBuilder().setCommandId("c").setKind(TemplateCommandKind.BUILD)
        .setOrganizationId("org").setTemplateName("app").setBuild(request).setIssuedAt(NOW).build();
    return TemplateLedger.decide(null, command, NOW).next();
  }

  private static Step step(StepKind kind, String... args) {
    return Step.newBuilder().setKind(kind).setArgs(List.of(args)).build();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> runtimeConfig(TemplateState state) {
    return (Map<String, Object>) TemplateResponses.detail(state, "req").get("runtime_config");
  }

  @Test
  void detail_relativeWorkdirs_areReportedAsTheWorkerResolvesThem() {
    TemplateState state = stateOf(step(StepKind.WORKDIR, "a"), step(StepKind.RUN, "true"), step(StepKind.WORKDIR, "b"));

    assertThat(runtimeConfig(state).get("workdir")).isEqualTo("/a/b");
  }

  @Test
  void detail_reportsEnvUserCmdAndBuildConfig() {
    TemplateState state = stateOf(step(StepKind.ENV, "A=1", "B=x=y"), step(StepKind.USER, "app"),
        step(StepKind.CMD, "python", "app.py"), step(StepKind.ENV, "A=2"));

    Map<String, Object> detail = TemplateResponses.detail(state, "req");

    assertThat(runtimeConfig(state)).containsEntry("env", Map.of("A", "2", "B", "x=y")).containsEntry("user", "app")
        .containsEntry("cmd", List.of("python", "app.py"));
    assertThat(detail).containsEntry("from_image", "debian:bookworm-slim").containsEntry("start_cmd", "serve")
        .containsEntry("default_resources", Map.of("vcpu", 2, "memory_mb", 1024, "disk_gb", 4));
  }

  @Test
  void detail_noMetadataSteps_reportsNulls() {
    Map<String, Object> config = runtimeConfig(stateOf(step(StepKind.RUN, "true")));

    assertThat(config).containsEntry("env", Map.of()).containsEntry("workdir", null).containsEntry("user", null)
        .containsEntry("cmd", null);
  }
}
