package dev.kiln.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The baseline: the classic builder ({@code DOCKER_BUILDKIT=0 docker build --no-cache}) on the same engine. */
final class DockerBuild {
  private DockerBuild() {}

  /** Builds {@code dockerfile} from an empty context; returns the wall time of the CLI in milliseconds. */
  static long timeMillis(String dockerfile, String tag) throws IOException, InterruptedException {
    Path context = Files.createTempDirectory("kiln-bench-");
    Files.writeString(context.resolve("Dockerfile"), dockerfile);
    ProcessBuilder build = new ProcessBuilder(List.of("docker", "build", "--no-cache", "-q", "-t", tag,
        context.toString())).redirectErrorStream(true);
    build.environment().putAll(Map.of("DOCKER_BUILDKIT", "0"));
    long start = System.nanoTime();
    Process process = build.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("docker build failed: " + output);
    }
    return (System.nanoTime() - start) / 1_000_000;
  }
}
