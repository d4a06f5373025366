package dev.kiln.gateway.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.Resources;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandKind;
import dev.kiln.schema.TemplateCommandOutcome;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.TemplateSummary;
import dev.kiln.schema.kafka.KilnSerdes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TemplateLedgerTest {
  private static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");

  @BeforeAll
  static void trustKilnClasses() {
    // Copying builders deep-copy through Avro, which refuses untrusted classes (the services do this at start).
    KilnSerdes.allowKilnAvroClasses();
  }

  private static TemplateCommand build(String buildId, boolean update) {
    BuildRequested request = BuildRequested.newBuilder().setBuildId(buildId).setTemplateId(buildId)
        .setOrganizationId("org").setTemplateName("app").setRequestId("req").setRequestedAt(NOW)
        .setFromImage("debian").setResources(new Resources(1, 512, 1)).setSteps(List.of()).setUpdate(update).build();
    return TemplateCommand.newBuilder().setCommandId("c-" + buildId).setKind(TemplateCommandKind.BUILD)
        .setOrganizationId("org").setTemplateName("app").setBuild(request).setIssuedAt(NOW).build();
  }

  private static TemplateCommand delete() {
    return TemplateCommand.newBuilder().setCommandId("del").setKind(TemplateCommandKind.DELETE)
        .setOrganizationId("org").setTemplateName("app").setIssuedAt(NOW).build();
  }

  private static BuildStatusChanged ended(String buildId, BuildStatus status) {
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId("b1").setOrganizationId("org")
        .setTemplateName("app").setAttempt(1).setStatus(status).setProgress(100).setStartedAt(NOW)
        .setOccurredAt(NOW).setImageRef(status == BuildStatus.ACTIVE ? "kiln/org/app:" + buildId : null)
        .setErrorMessage(status == BuildStatus.FAILED ? "step_failed: step 1/1 RUN exited with code 1" : null).build();
  }

  private static TemplateState activeTemplate() {
    TemplateState created = TemplateLedger.decide(null, build("b1", false), NOW).next();
    return TemplateLedger.apply(created, ended("b1", BuildStatus.ACTIVE), NOW);
  }

  @Test
  void create_newName_queuesBuildWithTemplateIdEqualToBuildId() {
    TemplateLedger.Decision decision = TemplateLedger.decide(null, build("b1", false), NOW);

    assertThat(decision.reply().getOutcome()).isEqualTo(TemplateCommandOutcome.ACCEPTED);
    assertThat(decision.build().getTemplateId()).isEqualTo("b1");
    assertThat(decision.next().getStatus()).isEqualTo("building");
    assertThat(decision.next().getIsActive()).isFalse();
  }

  @Test
  void create_existingName_isConflictWithHopxMessage() {
    TemplateLedger.Decision decision = TemplateLedger.decide(activeTemplate(), build("b2", false), NOW);

    assertThat(decision.reply().getOutcome()).isEqualTo(TemplateCommandOutcome.CONFLICT);
    assertThat(decision.reply().getMessage()).isEqualTo("Template already exists. Set update=true to update it.");
    assertThat(decision.build()).isNull();
    assertThat(decision.next()).isNull();
  }

  @Test
  void update_unknownName_isNotFound() {
    assertThat(TemplateLedger.decide(null, build("b1", true), NOW).reply().getOutcome())
        .isEqualTo(TemplateCommandOutcome.NOT_FOUND);
  }

  @Test
  void update_keepsTemplateIdAndActiveImage_whileItRuns() {
    TemplateLedger.Decision decision = TemplateLedger.decide(activeTemplate(), build("b2", true), NOW);

    assertThat(decision.build().getTemplateId()).isEqualTo("b1");
    assertThat(decision.next().getStatus()).isEqualTo("active");
    assertThat(decision.next().getIsActive()).isTrue();
    assertThat(decision.next().getImageRef()).isEqualTo("kiln/org/app:b1");
    assertThat(decision.next().getLatestBuildId()).isEqualTo("b2");
  }

  @Test
  void update_whileABuildRuns_isConflict() {
    TemplateState updating = TemplateLedger.decide(activeTemplate(), build("b2", true), NOW).next();

    assertThat(TemplateLedger.decide(updating, build("b3", true), NOW).reply().getOutcome())
        .isEqualTo(TemplateCommandOutcome.CONFLICT);
  }

  @Test
  void failedUpdate_leavesTemplateActiveOnPreviousBuild_withFailureRecorded() {
    TemplateState updating = TemplateLedger.decide(activeTemplate(), build("b2", true), NOW).next();

    TemplateState after = TemplateLedger.apply(updating, ended("b2", BuildStatus.FAILED), NOW);

    assertThat(after.getStatus()).isEqualTo("active");
    assertThat(after.getIsActive()).isTrue();
    assertThat(after.getActiveBuildId()).isEqualTo("b1");
    assertThat(after.getLatestError()).startsWith("step_failed");
  }

  @Test
  void failedFirstBuild_makesTemplateFailed_andOtherBuildsEventsChangeNothing() {
    TemplateState created = TemplateLedger.decide(null, build("b1", false), NOW).next();

    assertThat(TemplateLedger.apply(created, ended("other", BuildStatus.ACTIVE), NOW)).isNull();
    TemplateState failed = TemplateLedger.apply(created, ended("b1", BuildStatus.FAILED), NOW);
    assertThat(failed.getStatus()).isEqualTo("failed");
    assertThat(TemplateLedger.apply(failed, ended("b1", BuildStatus.ACTIVE), NOW)).as("first terminal wins").isNull();
  }

  @Test
  void delete_whileBuilding_isConflict_andWhenIdle_deletes() {
    TemplateState building = TemplateLedger.decide(null, build("b1", false), NOW).next();

    assertThat(TemplateLedger.decide(building, delete(), NOW).reply().getOutcome())
        .isEqualTo(TemplateCommandOutcome.CONFLICT);
    assertThat(TemplateLedger.decide(activeTemplate(), delete(), NOW).deleted()).isTrue();
    assertThat(TemplateLedger.decide(null, delete(), NOW).reply().getOutcome())
        .isEqualTo(TemplateCommandOutcome.NOT_FOUND);
  }

  private static BuildStatusChanged failedWith(String buildId, String error) {
    return BuildStatusChanged.newBuilder(ended(buildId, BuildStatus.FAILED)).setErrorMessage(error).build();
  }

  @Test
  void apply_hugeErrorMessage_storesAtMost4KiBWithMarker() {
    TemplateState created = TemplateLedger.decide(null, build("b1", false), NOW).next();

    TemplateState failed = TemplateLedger.apply(created, failedWith("b1", "é".repeat(450_000)), NOW);

    assertThat(failed.getLatestError().getBytes(java.nio.charset.StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(TemplateLedger.MAX_ERROR_BYTES);
    assertThat(failed.getLatestError()).startsWith("éé").endsWith(TemplateLedger.TRUNCATED);
  }

  @Test
  void apply_shortErrorMessage_storesItUnchanged() {
    TemplateState created = TemplateLedger.decide(null, build("b1", false), NOW).next();

    TemplateState failed = TemplateLedger.apply(created, failedWith("b1", "step_failed"), NOW);

    assertThat(failed.getLatestError()).isEqualTo("step_failed");
  }

  @Test
  void create_largeAgentVersion_queuesItButStoresOnlyTheSummary() {
    TemplateCommand command = build("b1", false);
    command.getBuild().setAgentVersion("v".repeat(500_000));
    command.getBuild().setCredentialsRef("sealed");

    TemplateLedger.Decision decision = TemplateLedger.decide(null, command, NOW);

    assertThat(decision.build().getAgentVersion()).hasSize(500_000);
    assertThat(decision.build().getCredentialsRef()).isEqualTo("sealed");
    assertThat(decision.next().getBuild()).isNull();
    assertThat(decision.next().getSummary().getFromImage()).isEqualTo("debian");
    assertThat(decision.next().getSummary().getResources()).isEqualTo(new Resources(1, 512, 1));
  }

  @Test
  void update_largeAgentVersion_doesNotStoreIt() {
    TemplateCommand command = build("b2", true);
    command.getBuild().setAgentVersion("v".repeat(500_000));

    TemplateLedger.Decision decision = TemplateLedger.decide(activeTemplate(), command, NOW);

    assertThat(decision.next().getBuild()).isNull();
    assertThat(serializedSize(decision.next())).isLessThan(1_024);
  }

  @Test
  void create_200StepsOf64KiBArgs_storesAStateOfAFewHundredBytes() {
    TemplateCommand command = build("b1", false);
    String arg = "x".repeat(65_536);
    List<Step> steps = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      steps.add(Step.newBuilder().setKind(i % 2 == 0 ? StepKind.RUN : StepKind.COPY).setArgs(List.of(arg, arg))
          .setFilesHash(i % 2 == 0 ? null : "0".repeat(64)).build());
    }
    command.getBuild().setSteps(steps);
    command.getBuild().setStartCmd("python -m http.server 8000");

    TemplateLedger.Decision decision = TemplateLedger.decide(null, command, NOW);

    assertThat(decision.build().getSteps()).hasSize(200);
    assertThat(serializedSize(decision.next())).as("bytes of the serialized state").isLessThan(1_024);
    assertThat(decision.next().getSummary().getStartCmd()).isEqualTo("python -m http.server 8000");
  }

  @Test
  void create_steps_storeTheirRuntimeConfigFoldedAsTheWorkerFoldsIt() {
    TemplateCommand command = build("b1", false);
    command.getBuild().setSteps(List.of(step(StepKind.ENV, "A=1", "B=2"), step(StepKind.WORKDIR, "a"),
        step(StepKind.RUN, "make"), step(StepKind.WORKDIR, "b"), step(StepKind.USER, "app"), step(StepKind.ENV, "A=3"),
        step(StepKind.CMD, "python", "app.py")));

    TemplateSummary summary = TemplateLedger.decide(null, command, NOW).next().getSummary();

    assertThat(summary.getEnv()).containsExactly("A=3", "B=2");
    assertThat(summary.getWorkdir()).isEqualTo("/a/b");
    assertThat(summary.getUser()).isEqualTo("app");
    assertThat(summary.getCmd()).containsExactly("python", "app.py");
  }

  @Test
  void create_stepsThatFoldIntoNothing_isRefusedWithoutStateOrBuild() {
    TemplateCommand command = build("b1", false);
    command.getBuild().setSteps(List.of(step(StepKind.ENV, "no-equals-sign")));

    TemplateLedger.Decision decision = TemplateLedger.decide(null, command, NOW);

    assertThat(decision.reply().getOutcome()).isEqualTo(TemplateCommandOutcome.REFUSED);
    assertThat(decision.next()).isNull();
    assertThat(decision.build()).isNull();
  }

  @Test
  void apply_stateWrittenBeforeSummaries_isRewrittenWithASummaryAndNoRequest() {
    BuildRequested request = build("b1", false).getBuild();
    request.setSteps(List.of(step(StepKind.WORKDIR, "srv"), step(StepKind.RUN, "x".repeat(65_536))));
    TemplateState legacy = TemplateState.newBuilder(TemplateLedger.decide(null, build("b1", false), NOW).next())
        .setSummary(null).setBuild(request).build();

    TemplateState after = TemplateLedger.apply(legacy, ended("b1", BuildStatus.ACTIVE), NOW);

    assertThat(after.getBuild()).isNull();
    assertThat(after.getSummary()).isEqualTo(TemplateSummaries.of(legacy));
    assertThat(after.getSummary().getWorkdir()).isEqualTo("/srv");
  }

  private static Step step(StepKind kind, String... args) {
    return Step.newBuilder().setKind(kind).setArgs(List.of(args)).build();
  }

  /** The state as Avro binary, without the registry's 5-byte prefix. */
  private static int serializedSize(TemplateState state) {
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
      new SpecificDatumWriter<>(TemplateState.class).write(state, encoder);
      encoder.flush();
      return out.size();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void tooLarge_anyCommand_refusesWithoutStateOrBuild() {
    TemplateLedger.Decision decision = TemplateLedger.tooLarge(build("b1", false), 1_000_000, 900_000);

    assertThat(decision.reply().getOutcome()).isEqualTo(TemplateCommandOutcome.REFUSED);
    assertThat(decision.next()).isNull();
    assertThat(decision.build()).isNull();
  }
}
