package dev.kiln.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** A service started as a child JVM, its output in a log file, stopped when the starting JVM exits. */
public final class ChildProcess implements AutoCloseable {
  private final String name;
  private final Process process;
  private final Path logFile;

  private ChildProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /** Starts {@code command} with its output appended to {@code logFile}. */
  public static ChildProcess start(String name, List<String> command, Path logFile) throws IOException {
    return start(name, command, Map.of(), logFile);
  }

  /** Starts {@code command} with extra environment variables, its output appended to {@code logFile}. */
  public static ChildProcess start(String name, List<String> command, Map<String, String> environment, Path logFile)
      throws IOException {
    Files.createDirectories(logFile.getParent());
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
    builder.environment().putAll(environment);
    ChildProcess child = new ChildProcess(name, builder.start(), logFile);
    // A test run or a local stack must not leave brokers behind when it ends normally.
    Runtime.getRuntime().addShutdownHook(new Thread(child::close, "stop-" + name));
    return child;
  }

  /** Runs {@code command} to completion and fails with its output if it exits non-zero. */
  public static void runToCompletion(String name, List<String> command, Path logFile) throws IOException {
    ChildProcess child = start(name, command, logFile);
    try {
      int exit = child.process.waitFor();
      if (exit != 0) {
        throw new IllegalStateException(name + " exited with " + exit + ": " + child.tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(name + " interrupted", e);
    }
  }

  /** Waits until {@code ready} holds, failing early with the log's tail if the process dies. */
  public void awaitReady(BooleanSupplier ready, Duration timeout) {
    Instant deadline = Instant.now().plus(timeout);
    while (!ready.getAsBoolean()) {
      if (!process.isAlive()) {
        throw new IllegalStateException(name + " exited with " + process.exitValue() + ": " + tail());
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException(name + " not ready after " + timeout + ": " + tail());
      }
      sleep(Duration.ofMillis(100));
    }
  }

  public long pid() {
    return process.pid();
  }

  /** The CPU time the process has used so far (user and system), or zero where the OS does not say. */
  public Duration cpuTime() {
    return process.toHandle().info().totalCpuDuration().orElse(Duration.ZERO);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** The last lines of the log, for error messages. */
  public String tail() {
    try {
      List<String> lines = Files.readAllLines(logFile);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** SIGKILL: the process gets no chance to clean up, as when a machine dies. */
  public void kill() {
    process.destroyForcibly();
    try {
      process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM and wait (SIGKILL after 15 s). */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  static void sleep(Duration duration) {
    try {
      Thread.sleep(duration.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
