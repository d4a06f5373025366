package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.command.WaitContainerResultCallback;
import dev.kiln.worker.engine.RecordingListener;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.archive.TestArchives;
import dev.kiln.worker.engine.step.CmdStep;
import dev.kiln.worker.engine.step.CopyStep;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.FileSource;
import dev.kiln.worker.engine.step.ReadyProbe;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.engine.step.StartCheck;
import dev.kiln.worker.engine.step.WorkdirStep;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import dev.kiln.worker.sweep.BuildContainerName;
import org.junit.jupiter.api.Test;

/** The build engine on the real local Docker engine, base images from the local mirror. */
class DockerImageEngineIT extends RealDockerEngine {
  static final String BASE = "debian:bookworm-slim";
  static final StepLimits LIMITS = new StepLimits(1, 512L * 1024 * 1024, Duration.ofMinutes(2));
  static final FileSource NO_FILES = hash -> {
    throw new java.io.FileNotFoundException(hash);
  };

  static BuildContainerName owner(String buildId) {
    return new BuildContainerName(buildId, 1, "w-it", 1);
  }

  @Test
  void run_fourStepTemplate_imageHasEnvWorkdirAndFiles() throws Exception {
    String tag = UUID.randomUUID().toString();
    BuildPlan plan = new BuildPlan(BASE, LIMITS, List.of(
        new RunStep("mkdir -p /opt/data && echo from-run-1 > /opt/data/one.txt"),
        new EnvStep(List.of("GREETING=hello world", "MODE=test")),
        new WorkdirStep("/srv/app"),
        new RunStep("echo \"$GREETING\" > greeting.txt && pwd > where.txt && echo to-stderr >&2"),
        new CmdStep(List.of("cat", "greeting.txt"))), "kiln/it/four-steps", tag);
    RecordingListener listener = new RecordingListener();

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-" + tag)), NO_FILES, listener);

    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
    assertThat(outcome.imageRef()).isEqualTo("kiln/it/four-steps:" + tag);
    InspectImageResponse image = docker.client().inspectImageCmd(outcome.imageRef()).exec();
    assertThat(image.getConfig().getEnv()).contains("GREETING=hello world", "MODE=test");
    assertThat(image.getConfig().getWorkingDir()).isEqualTo("/srv/app");
    assertThat(image.getConfig().getCmd()).containsExactly("cat", "greeting.txt");
    // The build's ownership is in its containers' names: a label would be copied into the image and then into
    // every container a user runs from it, which the sweeper would remove.
    assertThat(image.getConfig().getLabels() == null ? java.util.Map.of() : image.getConfig().getLabels())
        .as("labels of the committed image").isEmpty();
    assertThat(runInImage(outcome.imageRef(), "cat /opt/data/one.txt greeting.txt where.txt"))
        .isEqualTo("from-run-1\nhello world\n/srv/app\n");
    assertThat(runInImage(outcome.imageRef(), null)).isEqualTo("hello world\n");
    assertThat(listener.lines).contains("to-stderr", "step 4/5 RUN echo \"$GREETING\" > greeting.txt && pwd > where.txt && echo to-stderr >&2");
    assertThat(listener.startedSteps).containsExactly("0/5 RUN", "1/5 ENV", "2/5 WORKDIR", "3/5 RUN", "4/5 CMD");
  }

  @Test
  void run_failingStep_failsNamingStepAndExitCode_withEarlierOutputKept() throws Exception {
    BuildPlan plan = new BuildPlan(BASE, LIMITS, List.of(
        new RunStep("echo before-failure"),
        new EnvStep(List.of("A=1")),
        new RunStep("echo about-to-fail; exit 3"),
        new RunStep("echo never")), "kiln/it/failing", "t1");
    RecordingListener listener = new RecordingListener();

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-fail")), NO_FILES, listener);

    assertThat(outcome.succeeded()).isFalse();
    assertThat(outcome.errorMessage()).isEqualTo("step_failed: step 3/4 RUN exited with code 3");
    assertThat(outcome.failedStep()).isEqualTo(2);
    assertThat(listener.lines).contains("before-failure", "about-to-fail").doesNotContain("never");
  }

  @Test
  void run_missingBaseImage_failsWithImagePullFailed() throws Exception {
    BuildPlan plan = new BuildPlan("127.0.0.1:5000/kiln/no-such-image:1", LIMITS, List.of(new RunStep("true")),
        "kiln/it/missing", "t1");

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-miss")), NO_FILES,
        new RecordingListener());

    assertThat(outcome.errorCode()).isEqualTo("image_pull_failed");
    assertThat(outcome.errorMessage()).startsWith("image_pull_failed: could not pull 127.0.0.1:5000/kiln/no-such-image:1");
  }

  @Test
  void copy_directoryAndFile_withOwnerAndPermissions() throws Exception {
    byte[] upload = new TestArchives().directory("app").file("app/main.py", "print('hi')")
        .file("app/lib/util.py", "x = 1").file("settings.ini", "[kiln]").gzip();
    FileSource files = hash -> new java.io.ByteArrayInputStream(upload);
    String tag = UUID.randomUUID().toString();
    BuildPlan plan = new BuildPlan(BASE, LIMITS, List.of(
        new WorkdirStep("/srv"),
        new CopyStep(List.of("app"), "app", "h1", "nobody:nogroup", null),
        new CopyStep(List.of("settings.ini"), "/etc/kiln/", "h1", "1234:5678", "0600"),
        new RunStep("true")), "kiln/it/copy", tag);

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-copy")), files,
        new RecordingListener());

    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
    assertThat(runInImage(outcome.imageRef(), "cat /srv/app/main.py /srv/app/lib/util.py; "
        + "stat -c '%U:%G %a' /srv/app/main.py; stat -c '%u:%g %a' /etc/kiln/settings.ini"))
        .isEqualTo("print('hi')x = 1nobody:nogroup 644\n1234:5678 600\n");
  }

  @Test
  void copy_hostileUpload_failsTheStepWithoutWritingAnything() throws Exception {
    byte[] upload = new TestArchives().symlink("app/etc", "/etc").gzip();
    BuildPlan plan = new BuildPlan(BASE, LIMITS, List.of(new CopyStep(List.of("app"), "/app", "h2", null, null)),
        "kiln/it/hostile", "t1");

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-hostile")),
        hash -> new java.io.ByteArrayInputStream(upload), new RecordingListener());

    assertThat(outcome.errorMessage()).startsWith("unsafe_archive: step 1/1 COPY refused the uploaded files")
        .contains("points out of the archive");
  }

  @Test
  void startCheck_portProbe_passesOnceTheServerListens() throws Exception {
    BuildPlan plan = new BuildPlan("busybox", LIMITS, List.of(new RunStep("mkdir -p /www && echo ok > /www/index.html")),
        "kiln/it/serves", UUID.randomUUID().toString(), new StartCheck("sleep 1; httpd -f -p 8000 -h /www",
            new ReadyProbe("port", 8000, null, null, null, null), Duration.ofSeconds(20), Duration.ofMillis(300)));

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-start")), NO_FILES,
        new RecordingListener());

    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
  }

  @Test
  void startCheck_neverReady_failsWithTimeoutAndLastOutput() throws Exception {
    BuildPlan plan = new BuildPlan("busybox", LIMITS, List.of(new RunStep("true")), "kiln/it/never", "t1",
        new StartCheck("echo starting up; sleep 600", new ReadyProbe("port", 8001, null, null, null, null),
            Duration.ofMillis(1500), Duration.ofMillis(300)));

    BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-never")), NO_FILES,
        new RecordingListener());

    assertThat(outcome.errorMessage()).startsWith("ready_check_failed: ready check port 8001 did not pass within 1500 ms")
        .contains("starting up");
  }

  @Test
  void startCheck_probeThatPrintsWithoutEnd_failsAtTheCheckTimeout_quotingLittle() {
    // Before: each probe's output was kept whole and waited on for 30 s whatever the check's timeout.
    BuildPlan plan = new BuildPlan("busybox", LIMITS, List.of(new RunStep("true")), "kiln/it/chatty", "t1",
        new StartCheck("sleep 600", new ReadyProbe("command", null, null, null, null, "yes"),
            Duration.ofMillis(3000), Duration.ofMillis(300)));

    BuildOutcome outcome = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> new BuildRunner().run(plan,
        engine(owner("b-chatty")), NO_FILES, new RecordingListener()));

    assertThat(outcome.errorMessage()).startsWith("ready_check_failed: ready check command 'yes' did not pass within 3000 ms")
        .contains("more lines cut");
    assertThat(outcome.errorMessage().length()).isLessThan(5000);
  }

  @Test
  void copy_ownerLookupInAHugePasswd_isRefused_notReadWhole() throws Exception {
    BuildPlan makeBase = new BuildPlan("busybox", LIMITS, List.of(
        new RunStep("head -c 3000000 /dev/zero | tr '\\0' x >> /etc/passwd")), "kiln/it/big-passwd", "1");
    assertThat(new BuildRunner().run(makeBase, engine(owner("b-bigpw")), NO_FILES,
        new RecordingListener()).succeeded()).isTrue();
    byte[] upload = new TestArchives().file("app.txt", "hi").gzip();

    BuildOutcome outcome = new BuildRunner().run(new BuildPlan("kiln/it/big-passwd:1", LIMITS,
        List.of(new CopyStep(List.of("app.txt"), "/app.txt", "h3", "someone", null)), "kiln/it/bigpw", "t1"),
        engine(owner("b-bigpw2")), hash -> new java.io.ByteArrayInputStream(upload),
        new RecordingListener());

    assertThat(outcome.errorMessage()).startsWith("invalid_base_image: ")
        .containsPattern("/etc/passwd in the image is 300\\d{4} bytes, more than the 1048576 Kiln reads");
  }

  @Test
  void startCheck_processAndFileProbes_workWithoutTools() throws Exception {
    for (ReadyProbe probe : List.of(new ReadyProbe("process", null, null, null, "sleep", null),
        new ReadyProbe("file", null, null, "/tmp/ready", null, null),
        new ReadyProbe("command", null, null, null, null, "test -f /tmp/ready"))) {
      BuildPlan plan = new BuildPlan(BASE, LIMITS, List.of(new RunStep("true")), "kiln/it/probes", probe.type(),
          new StartCheck("touch /tmp/ready; exec sleep 600", probe, Duration.ofSeconds(20), Duration.ofMillis(300)));

      BuildOutcome outcome = new BuildRunner().run(plan, engine(owner("b-probe")), NO_FILES,
          new RecordingListener());

      assertThat(outcome.succeeded()).as(probe.describe() + ": " + outcome.errorMessage()).isTrue();
    }
  }

  @Test
  void run_baseImageWithAlpineFiles_isRefusedWhateverItsName() throws Exception {
    BuildPlan makeBase = new BuildPlan("busybox", LIMITS, List.of(new RunStep("echo 3.19.1 > /etc/alpine-release")),
        "kiln/it/innocent-name", "1");
    assertThat(new BuildRunner().run(makeBase, engine(owner("b-base")), NO_FILES,
        new RecordingListener()).succeeded()).isTrue();

    BuildOutcome outcome = new BuildRunner().run(new BuildPlan("kiln/it/innocent-name:1", LIMITS,
        List.of(new RunStep("true")), "kiln/it/musl", "t1"), engine(owner("b-musl")), NO_FILES,
        new RecordingListener());

    assertThat(outcome.errorMessage()).isEqualTo("alpine_not_supported: Alpine Linux is not supported. "
        + "Use glibc-based images like ubuntu, debian, python-slim, node-slim");
  }

  private static String runInImage(String image, String shellCommand) throws Exception {
    var create = docker.client().createContainerCmd(image);
    if (shellCommand != null) {
      create.withEntrypoint("/bin/sh", "-c").withCmd(shellCommand);
    }
    String id = create.exec().getId();
    try {
      docker.client().startContainerCmd(id).exec();
      docker.client().waitContainerCmd(id).exec(new WaitContainerResultCallback()).awaitStatusCode();
      StringBuilder out = new StringBuilder();
      List<String> lines = new java.util.ArrayList<>();
      docker.client().logContainerCmd(id).withStdOut(true).withStdErr(true)
          .exec(new ContainerOutput((text, error) -> lines.add(text))).awaitCompletion();
      lines.forEach(line -> out.append(line).append('\n'));
      return out.toString();
    } finally {
      docker.client().removeContainerCmd(id).withForce(true).exec();
    }
  }
}
