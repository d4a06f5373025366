package dev.kiln.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

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
  @CsvSource({"/, /app, /app", "/app, src, /app/src", "/app/, src, /app/src", "'', rel, /rel", "/app, /abs, /abs"})
  void workdir_resolvesRelativeToCurrent(String current, String step, String expected) throws Exception {
    assertThat(apply(new WorkdirStep(step), BASE.withWorkdir(current)).config().workdir()).isEqualTo(expected);
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
