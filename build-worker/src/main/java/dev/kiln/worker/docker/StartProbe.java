package dev.kiln.worker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.kiln.worker.engine.step.ImageEngine.StartResult;
import dev.kiln.worker.engine.step.StartCheck;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/** Probes a started template container until its ready check passes, it exits, or the check times out. */
final class StartProbe {
  /** Without a ready check, a start command that keeps running this long counts as started. */
  private static final Duration SETTLE = Duration.ofSeconds(1);
  static final int TAIL_LINES = 10;
  static final int TAIL_LINE_CHARS = 200;
  /** How much of a probe's or the start command's output a failure message quotes. */
  private static final int QUOTED_CHARS = 2000;
  private final DockerClient docker;
  private final String container;
  private final StartCheck check;
  private final LastLines output;

  /** {@code output}: the start command's output, attached before its start (the engine keeps no log of it). */
  StartProbe(DockerClient docker, String container, StartCheck check, LastLines output) {
    this.docker = docker;
    this.container = container;
    this.check = check;
    this.output = output;
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
        BoundedOutput output = new BoundedOutput(QUOTED_CHARS);
        if (exec(check.probe().script(), output, deadline) == 0) {
          return new StartResult(true, null);
        }
        probeOutput = output.summary();
      }
      if (System.nanoTime() > deadline) {
        return new StartResult(false, "ready check " + check.probe().describe() + " did not pass within "
            + check.timeout().toMillis() + " ms; probe said: " + probeOutput + "; last output: " + tail());
      }
      Thread.sleep(Math.min(check.interval().toMillis(), Math.max(50, (deadline - System.nanoTime()) / 1_000_000)));
    }
  }

  /**
   * Runs one probe, waiting no longer than the check has left. A probe still running then has failed: its stream is
   * closed, and the process goes with the container, which is removed once the check has failed.
   */
  private long exec(String script, BoundedOutput output, long deadline) throws InterruptedException {
    String exec = docker.execCreateCmd(container).withCmd("/bin/sh", "-c", script)
        .withAttachStdout(true).withAttachStderr(true).exec().getId();
    ContainerOutput stream = docker.execStartCmd(exec).exec(new ContainerOutput(output));
    long remainingMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
    boolean finished = stream.awaitCompletion(remainingMillis, TimeUnit.MILLISECONDS);
    if (!finished) {
      closeQuietly(stream);
      return -1;
    }
    Long code = docker.inspectExecCmd(exec).exec().getExitCodeLong();
    return code == null ? -1 : code;
  }

  /** The container's last lines of output, bounded, for the failure message. */
  private String tail() {
    return output.summary();
  }

  private static void closeQuietly(ContainerOutput stream) {
    try {
      stream.close();
    } catch (java.io.IOException ignored) {
      // the stream is abandoned either way
    }
  }
}
