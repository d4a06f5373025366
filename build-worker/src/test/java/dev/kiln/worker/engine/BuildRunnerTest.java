package dev.kiln.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.FileSource;
import dev.kiln.worker.engine.step.ImageConfig;
import dev.kiln.worker.engine.step.ImageEngine;
import dev.kiln.worker.engine.step.LogSink;
import dev.kiln.worker.engine.step.RunStep;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The runner's loop logic, over an in-memory engine that records calls (Docker itself is tested in DockerImageEngineIT). */
class BuildRunnerTest {
  private static final FileSource NO_FILES = hash -> {
    throw new java.io.FileNotFoundException(hash);
  };
  private static final StepLimits LIMITS = new StepLimits(1, 1 << 29, Duration.ofMinutes(1));

  /** Records calls; RUN exits with the code its command names after "exit ". */
  static final class ScriptedEngine implements ImageEngine {
    final List<String> calls = new ArrayList<>();
    boolean baseMissing;
    boolean alpine;
    long size = 1024;
    /** Thrown by every RUN when set: how the engine fails. */
    RuntimeException runFailure;

    @Override
    public BaseImage resolveBase(String reference, dev.kiln.secrets.RegistryCredentials credentials,
        boolean refresh, boolean ownTemplate) throws EngineException {
      if (baseMissing) {
        throw new EngineException(FailureReason.IMAGE_PULL_FAILED, "could not pull " + reference, null);
      }
      return new BaseImage("img-0", ImageConfig.empty(), "sha256:base-0");
    }

    @Override
    public RunResult run(String image, ImageConfig config, String command, StepLimits limits, LogSink log) {
      if (runFailure != null) {
        throw runFailure;
      }
      calls.add("run " + image + " " + command + " env=" + config.envList());
      int exit = command.startsWith("exit ") ? Integer.parseInt(command.substring(5)) : 0;
      return new RunResult(exit, exit == 0 ? "img-" + calls.size() : null);
    }

    @Override
    public String addFiles(String image, ImageConfig config, java.nio.file.Path layerTar) {
      calls.add("add " + image);
      return "img-" + calls.size();
    }

    @Override
    public java.util.Optional<String> readFile(String image, String path) {
      return alpine && path.equals("/etc/alpine-release") ? java.util.Optional.of("3.19.1") : java.util.Optional.empty();
    }

    @Override
    public long imageSize(String image) {
      return size;
    }

    @Override
    public StartResult checkStart(String image, ImageConfig config, dev.kiln.worker.engine.step.StartCheck check,
        StepLimits limits, LogSink log) {
      calls.add("start " + image + " " + check.startCmd());
      return new StartResult(!check.startCmd().contains("crash"), "start command exited with code 1");
    }

    @Override
    public String commitConfig(String image, ImageConfig config) {
      calls.add("commit " + image + " env=" + config.envList());
      return "final";
    }

    @Override
    public void tag(String image, String repository, String tag) {
      calls.add("tag " + image + " " + repository + ":" + tag);
    }

    @Override
    public String push(String image, String repository, String tag) {
      calls.add("push " + image + " " + repository + ":" + tag);
      return "sha256:pushed";
    }
  }

  @Test
  void run_chainsLayersAndCarriesMetadataIntoLaterSteps() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    BuildPlan plan = new BuildPlan("debian", LIMITS,
        List.of(new RunStep("a"), new EnvStep(List.of("K=V")), new RunStep("b")), "kiln/o/t", "b1");

    BuildOutcome outcome = new BuildRunner().run(plan, engine, NO_FILES, new RecordingListener());

    assertThat(outcome).isEqualTo(BuildOutcome.succeeded("final", "kiln/o/t:b1"));
    assertThat(engine.calls).containsExactly("run img-0 a env=[]", "run img-1 b env=[K=V]",
        "commit img-2 env=[K=V]", "tag final kiln/o/t:b1");
  }

  @Test
  void run_failingStep_isAResultNamingTheStep_andStopsTheLoop() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    BuildPlan plan = new BuildPlan("debian", LIMITS,
        List.of(new RunStep("a"), new RunStep("exit 2"), new RunStep("never")), "kiln/o/t", "b1");

    BuildOutcome outcome = new BuildRunner().run(plan, engine, NO_FILES, new RecordingListener());

    assertThat(outcome.errorMessage()).isEqualTo("step_failed: step 2/3 RUN exited with code 2");
    assertThat(outcome.failedStep()).isEqualTo(1);
    assertThat(engine.calls).hasSize(2);
  }

  @Test
  void run_startCheckFails_failsTheBuildUntagged() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    BuildPlan plan = new BuildPlan("debian", LIMITS, List.of(new RunStep("a")), "kiln/o/t", "b1",
        new dev.kiln.worker.engine.step.StartCheck("crash now", null, Duration.ofSeconds(1), Duration.ofSeconds(1)));

    BuildOutcome outcome = new BuildRunner().run(plan, engine, NO_FILES, new RecordingListener());

    assertThat(outcome.errorMessage()).isEqualTo("ready_check_failed: start command exited with code 1");
    assertThat(engine.calls).last().isEqualTo("start final crash now");
  }

  @Test
  void run_alpineBase_isRefusedByItsFiles() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    engine.alpine = true;

    BuildOutcome outcome = new BuildRunner().run(new BuildPlan("my-base:1", LIMITS, List.of(new RunStep("a")), "r", "t"),
        engine, NO_FILES, new RecordingListener());

    assertThat(outcome.errorMessage()).isEqualTo("alpine_not_supported: Alpine Linux is not supported. "
        + "Use glibc-based images like ubuntu, debian, python-slim, node-slim");
    assertThat(engine.calls).isEmpty();
  }

  @Test
  void run_imageLargerThanDiskLimit_failsUntagged() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    engine.size = 3L * 1024 * 1024 * 1024;
    StepLimits twoGb = new StepLimits(1, 1 << 29, Duration.ofMinutes(1), 2L * 1024 * 1024 * 1024);

    BuildOutcome outcome = new BuildRunner().run(new BuildPlan("debian", twoGb, List.of(new RunStep("a")), "r", "t"),
        engine, NO_FILES, new RecordingListener());

    assertThat(outcome.errorMessage())
        .isEqualTo("disk_limit_exceeded: the image is 3072 MB, over the template's disk limit of 2 GB (diskGB)");
    assertThat(engine.calls).noneMatch(call -> call.startsWith("tag"));
  }

  @Test
  void run_missingBase_failsBeforeAnyStep() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    engine.baseMissing = true;
    RecordingListener listener = new RecordingListener();

    BuildOutcome outcome = new BuildRunner().run(new BuildPlan("nope", LIMITS, List.of(new RunStep("a")), "r", "t"),
        engine, NO_FILES, listener);

    assertThat(outcome.errorMessage()).isEqualTo("image_pull_failed: could not pull nope");
    assertThat(outcome.failedStep()).isNull();
    assertThat(listener.startedSteps).isEmpty();
  }

  @Test
  void run_withAFleetRegistry_pushesTheTemplate_andNamesItByTagAndDigest() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    BuildPlan plan = new BuildPlan("debian", LIMITS, List.of(new RunStep("a")), "kiln/o/t", "b1", null, null, 1,
        "registry.example:5000");

    BuildOutcome outcome = new BuildRunner().run(plan, engine, NO_FILES, new RecordingListener());

    assertThat(outcome.imageRef()).isEqualTo("registry.example:5000/kiln/o/t:b1@sha256:pushed");
    assertThat(engine.calls).endsWith("tag final kiln/o/t:b1", "push final registry.example:5000/kiln/o/t:b1");
  }

  @Test
  void engineThatCannotBeReached_givesTheBuildBack_insteadOfFailingIt() {
    // Before: an outage on the way to the engine ended builds, or any other fault came back on all ten deliveries.
    ScriptedEngine engine = new ScriptedEngine();
    engine.runFailure = new RuntimeException(new java.net.SocketException("No such file or directory"));
    BuildPlan plan = new BuildPlan("debian", LIMITS, List.of(new RunStep("true")), "kiln/t/x", "1");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BuildRunner().run(plan, engine, NO_FILES,
        new RecordingListener())).isInstanceOf(dev.kiln.worker.engine.runner.EngineUnavailable.class);
  }

  @Test
  void kilnsOwnDeterministicFault_endsTheBuildOnce_withInternalError() throws Exception {
    ScriptedEngine engine = new ScriptedEngine();
    engine.runFailure = new IllegalStateException("a bug");
    BuildPlan plan = new BuildPlan("debian", LIMITS, List.of(new RunStep("true")), "kiln/t/x", "1");

    BuildOutcome outcome = new BuildRunner().run(plan, engine, NO_FILES, new RecordingListener());

    assertThat(outcome.errorCode()).isEqualTo("internal_error");
    assertThat(outcome.errorMessage()).contains("a bug");
  }

  @Test
  void faultOfAnInterruptedEngineCall_isAStop_notAnInternalError() {
    // A cancelled build's engine call fails with a wrapped interrupt: the stop's reason must decide the end.
    ScriptedEngine engine = new ScriptedEngine();
    engine.runFailure = new IllegalStateException("wait failed", new InterruptedException());
    BuildPlan plan = new BuildPlan("debian", LIMITS, List.of(new RunStep("true")), "kiln/t/x", "1");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BuildRunner().run(plan, engine, NO_FILES,
        new RecordingListener())).isInstanceOf(InterruptedException.class);
  }
}
