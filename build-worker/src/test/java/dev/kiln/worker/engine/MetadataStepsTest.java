package dev.kiln.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.template.RuntimeConfig;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.CmdStep;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.ImageConfig;
import dev.kiln.worker.engine.step.StepContext;
import dev.kiln.worker.engine.step.StepResult;
import dev.kiln.worker.engine.step.UserStep;
import dev.kiln.worker.engine.step.WorkdirStep;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Metadata steps are pure functions on an image config: no engine is involved. */
class MetadataStepsTest {
  private static final ImageConfig BASE = new ImageConfig(Map.of("PATH", "/usr/bin"), "/", "", List.of("bash"),
      List.of());

  private static StepResult apply(BuildStep step, ImageConfig config) throws InterruptedException {
    return step.apply(new StepContext("sha256:base", config, null, null, null, (text, error) -> { }));
  }

  @Test
  void env_addsAndOverridesInOrder_keepingTheImage() throws Exception {
    StepResult result = apply(new EnvStep(List.of("A=1", "PATH=/opt/bin:/usr/bin", "B=x=y")), BASE);

    assertThat(result.image()).isEqualTo("sha256:base");
    assertThat(result.config().envList()).containsExactly("PATH=/opt/bin:/usr/bin", "A=1", "B=x=y");
  }

  @ParameterizedTest
  @CsvSource({"/, /app, /app", "/app, src, /app/src", "/app/, src, /app/src", "'', rel, /rel", "/app, /abs, /abs",
      "/app, ../srv, /srv"})
  void workdir_resolvesRelativeToCurrent(String current, String step, String expected) throws Exception {
    ImageConfig config = new ImageConfig(Map.of(), current, "", List.of(), List.of());

    assertThat(apply(new WorkdirStep(step), config).config().workdir()).isEqualTo(expected);
  }

  /** The rule the gateway reports with: two relative WORKDIRs on a base without one end where the gateway says. */
  @Test
  void workdir_relativeTwice_isTheSharedFold() throws Exception {
    ImageConfig config = apply(new WorkdirStep("b"), apply(new WorkdirStep("a"), ImageConfig.empty()).config()).config();

    assertThat(config.workdir()).isEqualTo("/a/b");
    assertThat(config.runtime()).isEqualTo(RuntimeConfig.empty().withWorkdir("a").withWorkdir("b"));
  }

  @Test
  void userAndCmd_setConfig() throws Exception {
    ImageConfig config = apply(new UserStep("1000:1000"), BASE).config();
    config = apply(new CmdStep(List.of("python", "app.py")), config).config();

    assertThat(config.user()).isEqualTo("1000:1000");
    assertThat(config.cmd()).containsExactly("python", "app.py");
  }

  @Test
  void normalized_isStableAndDistinguishesExecForms() {
    assertThat(new CmdStep(List.of("a b")).normalized()).isNotEqualTo(new CmdStep(List.of("a", "b")).normalized());
    assertThat(new EnvStep(List.of("A=1")).normalized()).isEqualTo(new EnvStep(List.of("A=1")).normalized());
    assertThat(new EnvStep(List.of("A=1")).metadataOnly()).isTrue();
  }
}
