package dev.kiln.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The runtime-config fold gateway and worker share: Docker's WORKDIR resolution, env order and overrides. */
class RuntimeConfigFoldTest {
  private static Step step(StepKind kind, String... args) {
    return Step.newBuilder().setKind(kind).setArgs(List.of(args)).build();
  }

  @ParameterizedTest
  @CsvSource({"'', /app, /app", "'', rel, /rel", "/app, src, /app/src", "/app/, src, /app/src", "/app, /abs, /abs",
      "/a/b, ../c, /a/c", "/, ../../x, /x", "/a, ./b/., /a/b", "/a, b//c/, /a/b/c", "'', /raw/, /raw/"})
  void resolve_likeDocker(String current, String requested, String expected) {
    assertThat(Workdirs.resolve(current, requested)).isEqualTo(expected);
  }

  @Test
  void resolve_emptyPath_isRefused() {
    assertThatThrownBy(() -> Workdirs.resolve("/a", "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void fold_relativeWorkdirs_joinOntoThePreviousOne() {
    RuntimeConfig config = RuntimeConfigFold.fold(List.of(step(StepKind.WORKDIR, "a"), step(StepKind.WORKDIR, "b")));

    assertThat(config.workdir()).isEqualTo("/a/b");
  }

  @Test
  void fold_envUserCmd_lastWinsAndEnvKeepsFirstSetOrder() {
    RuntimeConfig config = RuntimeConfigFold.fold(List.of(step(StepKind.ENV, "A=1", "B=x=y"),
        step(StepKind.RUN, "true"), step(StepKind.USER, "root"), step(StepKind.ENV, "A=2"),
        step(StepKind.CMD, "sh", "-c", "echo"), step(StepKind.USER, "1000:1000"), step(StepKind.CMD, "python")));

    assertThat(config.envList()).containsExactly("A=2", "B=x=y");
    assertThat(config.user()).isEqualTo("1000:1000");
    assertThat(config.cmd()).containsExactly("python");
    assertThat(config.workdir()).isEmpty();
  }

  @Test
  void fold_noSteps_isEmpty() {
    assertThat(RuntimeConfigFold.fold(List.of())).isEqualTo(RuntimeConfig.empty());
  }

  @Test
  void withEnvPair_withoutName_isRefused() {
    assertThatThrownBy(() -> RuntimeConfig.empty().withEnvPair("=1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void readyCheckDefaults_areThirtyAndTwoSeconds_asTheSchemaSays() {
    ReadyCheck schemaDefaults = ReadyCheck.newBuilder().setType("port").build();

    assertThat(ReadyChecks.defaultTimeout()).hasSeconds(30);
    assertThat(ReadyChecks.defaultInterval()).hasSeconds(2);
    assertThat(schemaDefaults.getTimeoutMs()).as("ReadyCheck.avsc default").isEqualTo(ReadyChecks.DEFAULT_TIMEOUT_MS);
    assertThat(schemaDefaults.getIntervalMs()).as("ReadyCheck.avsc default").isEqualTo(ReadyChecks.DEFAULT_INTERVAL_MS);
    assertThat(ReadyChecks.TYPES).containsExactlyInAnyOrder("port", "url", "file", "process", "command");
  }
}
