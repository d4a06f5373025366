package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import dev.kiln.worker.engine.RecordingListener;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.worker.sweep.BuildContainerName;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Build containers as a hostile tenant finds them: few capabilities, no new privileges, bounded processes. */
class SandboxIT extends RealDockerEngine {
  static final StepLimits LIMITS = DockerImageEngineIT.LIMITS;

  private static BuildOutcome build(String base, StepLimits limits, RecordingListener listener, String... runs)
      throws InterruptedException {
    String tag = UUID.randomUUID().toString();
    BuildPlan plan = new BuildPlan(base, limits, java.util.Arrays.stream(runs).map(RunStep::new)
        .map(step -> (dev.kiln.worker.engine.step.BuildStep) step).toList(), "kiln/it/sandbox", tag);
    return new BuildRunner().run(plan, engine(new BuildContainerName("b-sandbox-" + tag, 1,
        "w-it", 1)), DockerImageEngineIT.NO_FILES, listener);
  }

  @Test
  void runStep_hasOnlyThePackageInstallCapabilities_noNewPrivileges_andBoundedProcessesAndFiles() throws Exception {
    // Before: Docker's defaults, CapEff 00000000a80425fb (NET_RAW, MKNOD, SYS_CHROOT, …), no pids limit.
    RecordingListener listener = new RecordingListener();

    BuildOutcome outcome = build("debian:bookworm-slim", LIMITS, listener,
        "grep -E 'CapEff|NoNewPrivs' /proc/self/status; echo nofile=$(ulimit -n);"
            + " echo pids=$(cat /sys/fs/cgroup/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids/pids.max)");

    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
    // CHOWN 0, DAC_OVERRIDE 1, FOWNER 3, FSETID 4, KILL 5, SETGID 6, SETUID 7.
    assertThat(listener.lines).contains("CapEff:\t00000000000000fb", "NoNewPrivs:\t1", "nofile=4096", "pids=1024");
  }

  @Test
  void runStep_overItsMemory_endsOutOfMemory() throws Exception {
    StepLimits small = new StepLimits(1, 64L * 1024 * 1024, Duration.ofMinutes(2));

    BuildOutcome outcome = build("debian:bookworm-slim", small, new RecordingListener(),
        "dd if=/dev/zero of=/dev/null bs=256M count=1");

    assertThat(outcome.errorMessage()).startsWith("out_of_memory: step 1/1 RUN killed for using more than the "
        + "build's 64 MiB of memory");
  }

  @Test
  void runStep_longerThanADiskCheck_endsWithItsExitCode() throws Exception {
    // A fresh-clone CI run found docker-java's timed wait closing the wait stream: every step that ran past the
    // first disk check then failed with "Error while wait container".
    StepLimits withDisk = new StepLimits(1, 512L * 1024 * 1024, Duration.ofMinutes(2), 1024L * 1024 * 1024);
    RecordingListener listener = new RecordingListener();

    BuildOutcome outcome = build("debian:bookworm-slim", withDisk, listener, "sleep 3; echo slept");

    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
    assertThat(listener.lines).contains("slept");
  }

  @Test
  void runStep_writingPastTheDisk_isStoppedWhileItRuns() throws Exception {
    // Before: the disk was checked only on the finished image, after the step had filled the node's disk.
    StepLimits smallDisk = new StepLimits(1, 512L * 1024 * 1024, Duration.ofMinutes(2), 64L * 1024 * 1024);

    BuildOutcome outcome = build("debian:bookworm-slim", smallDisk, new RecordingListener(),
        "for i in $(seq 1 600); do head -c 1048576 /dev/zero > /f$i; sleep 0.01; done");

    System.out.println("disk limit: " + outcome.errorMessage());
    assertThat(outcome.errorMessage()).startsWith("disk_limit_exceeded: step 1/1 RUN the step wrote ")
        .endsWith("over the template's 64 MB of disk");
  }

  @Test
  void aptInstall_worksInAHardenedBuild_againstALocalRepository(@TempDir Path dir) throws Exception {
    Path repository = Files.createDirectories(dir.resolve("repo"));
    Path deb = debianPackage(dir, repository);
    Files.writeString(repository.resolve("Packages"), packagesIndex(deb));
    HttpServer server = fileServer(repository);
    try {
      String source = "http://$gateway:" + server.getAddress().getPort() + "/";
      RecordingListener listener = new RecordingListener();

      BuildOutcome outcome = build("debian:bookworm-slim", LIMITS, listener,
          BuildNetworkIT.GATEWAY + "rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*;"
              + " echo \"deb [trusted=yes] " + source + " ./\" > /etc/apt/sources.list",
          "apt-get update && apt-get install -y --no-install-recommends kiln-hello",
          "kiln-hello");

      assertThat(outcome.succeeded()).as(outcome.errorMessage() + "\n" + String.join("\n", listener.lines)).isTrue();
      assertThat(listener.lines).contains("hello from a package");
    } finally {
      server.stop(0);
    }
  }

  /**
   * Serves the files of {@code directory} (flat, no listing) on every interface, at the one port of this node that
   * the test machine's sandbox firewall lets builds reach (apt-cacher-ng's: a node's package cache).
   */
  private static HttpServer fileServer(Path directory) throws java.io.IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("0.0.0.0", BuildNetworkIT.ALLOWED_NODE_PORT), 0);
    server.createContext("/", exchange -> {
      Path file = directory.resolve(Path.of(exchange.getRequestURI().getPath()).getFileName().toString());
      if (!Files.isRegularFile(file)) {
        exchange.sendResponseHeaders(404, -1);
      } else {
        byte[] body = Files.readAllBytes(file);
        exchange.sendResponseHeaders(200, exchange.getRequestMethod().equals("HEAD") ? -1 : body.length);
        if (!exchange.getRequestMethod().equals("HEAD")) {
          exchange.getResponseBody().write(body);
        }
      }
      exchange.close();
    });
    server.start();
    return server;
  }

  /** A one-file package made with the host's dpkg-deb, as a distribution's would be. */
  private static Path debianPackage(Path dir, Path repository) throws Exception {
    Path root = dir.resolve("pkg");
    Files.createDirectories(root.resolve("DEBIAN"));
    Files.createDirectories(root.resolve("usr/bin"));
    Files.writeString(root.resolve("DEBIAN/control"), "Package: kiln-hello\nVersion: 1.0\nArchitecture: all\n"
        + "Maintainer: Kiln <kiln@localhost>\nDescription: a package for the sandbox test\n");
    Path script = Files.writeString(root.resolve("usr/bin/kiln-hello"), "#!/bin/sh\necho hello from a package\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path deb = repository.resolve("kiln-hello_1.0_all.deb");
    Process build = new ProcessBuilder("dpkg-deb", "--root-owner-group", "--build", root.toString(), deb.toString())
        .redirectErrorStream(true).start();
    String said = new String(build.getInputStream().readAllBytes());
    assertThat(build.waitFor(60, TimeUnit.SECONDS) && build.exitValue() == 0).as("dpkg-deb: " + said).isTrue();
    return deb;
  }

  /** The repository's index: the package's control fields, where it is, its size and digest. */
  private static String packagesIndex(Path deb) throws Exception {
    byte[] bytes = Files.readAllBytes(deb);
    String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    return "Package: kiln-hello\nVersion: 1.0\nArchitecture: all\nMaintainer: Kiln <kiln@localhost>\n"
        + "Filename: ./" + deb.getFileName() + "\nSize: " + bytes.length + "\nSHA256: " + sha256
        + "\nDescription: a package for the sandbox test\n\n";
  }
}
