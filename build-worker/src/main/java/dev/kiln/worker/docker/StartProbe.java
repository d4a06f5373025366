package dev.kiln.worker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.kiln.worker.engine.step.ImageEngine.StartResult;
import dev.kiln.worker.engine.step.StartCheck;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Probes a started template container until its ready check passes, it exits, or the check times out. */
final class StartProbe {
  /** Without a ready check, a start command that keeps running this long counts as started. */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  private static final int TAIL_LINES = 10;
  private final DockerClient docker;
  private final String container;
  private final StartCheck check;

  StartProbe(DockerClient docker, String container, StartCheck check) {
    this.docker = docker;
    this.container = container;
    this.check = check;
  }

  StartResult await() throws InterruptedException {
    long started = System.nanoTime();
    long deadline = started + check.timeout().toNanos();
    String probeOutput = "";
    while (true) {
      InspectContainerResponse.ContainerState state = docker.inspectContainerCmd(container).exec().getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        return new StartResult(false, "start command '" + check.startCmd() + "' exited with code "
            + state.getExitCodeLong() + "; last output: " + tail());
      }
      if (check.probe() == null) {
        if (System.nanoTime() - started >= SETTLE.toNanos()) {
          return new StartResult(true, null);
        }
      } else {
        List<String> output = new ArrayList<>();
        if (exec(check.probe().script(), output) == 0) {
          return new StartResult(true, null);
        }
        probeOutput = String.join(" | ", output);
      }
      if (System.nanoTime() > deadline) {
        return new StartResult(false, "ready check " + check.probe().describe() + " did not pass within "
            + check.timeout().toMillis() + " ms; probe said: " + probeOutput + "; last output: " + tail());
      }
      Thread.sleep(Math.min(check.interval().toMillis(), Math.max(50, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  private long exec(String script, List<String> output) throws InterruptedException {
    String exec = docker.execCreateCmd(container).withCmd("/bin/sh", "-c", script)
        .withAttachStdout(true).withAttachStderr(true).exec().getId();
    docker.execStartCmd(exec).exec(new ContainerOutput((text, error) -> output.add(text)))
        .awaitCompletion(30, TimeUnit.SECONDS);
    Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return code == null ? -1 : code;
  }

  /** The container's last lines of output, for the failure message. */
  private String tail() throws InterruptedException {
    List<String> lines = new ArrayList<>();
    docker.logContainerCmd(container).withStdOut(true).withStdErr(true).withTail(TAIL_LINES)
        .exec(new ContainerOutput((text, error) -> lines.add(text))).awaitCompletion(10, TimeUnit.SECONDS);
    return lines.isEmpty() ? "(none)" : String.join(" | ", lines);
  }
}
