package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official HopX JavaScript SDK ({@code @hopx-ai/sdk}, pinned in system-tests/sdk/package.json), unchanged,
 * against a running Kiln: build with COPY, RUN, ENV, WORKDIR and a start command to active; list, get, delete.
 */
class HopxSdkConformanceIT {
  static final String PREFIX = "sdk" + UUID.randomUUID().toString().substring(0, 8);
  static final String KEY = "sdk-conformance-key";
  static final Path SDK_DIR = Path.of("sdk").toAbsolutePath();
  static KilnService gateway;
  static KilnService worker;

  @BeforeAll
  static void startKiln() throws Exception {
    gateway = KilnService.gatewayWithDefaultQuotas("sdk-gateway", PREFIX, Map.of("KILN_BOOTSTRAP_API_KEY", KEY));
    worker = KilnService.worker("sdk-worker", PREFIX, Map.of());
  }

  @AfterAll
  static void stopKiln() {
    if (worker != null) {
      worker.close();
    }
    if (gateway != null) {
      gateway.close();
    }
  }

  @Test
  void officialSdk_buildsToActive_thenListsGetsAndDeletes() throws Exception {
    assertThat(run(List.of("npm", "ci", "--no-audit", "--no-fund"), Map.of(), 300)).contains("added");

    String output = run(List.of("node", "conformance.mjs"),
        Map.of("KILN_URL", gateway.baseUrl(), "KILN_API_KEY", KEY), 300);

    String result = output.lines().filter(line -> line.startsWith("{\"result\"")).findFirst().orElse("");
    assertThat(result).as(output).contains("\"result\":\"ok\"");
    System.out.println("HopX SDK conformance: " + result);
  }

  private static String run(List<String> command, Map<String, String> env, int timeoutSeconds)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).directory(SDK_DIR.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    File log = SDK_DIR.resolve("../target/system-logs/" + command.get(0) + ".log").toFile();
    log.getParentFile().mkdirs();
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    java.nio.file.Files.writeString(log.toPath(), output);
    assertThat(process.waitFor(timeoutSeconds, TimeUnit.SECONDS)).as("finished in time").isTrue();
    assertThat(process.exitValue()).as(String.join(" ", command) + " failed:\n" + output).isZero();
    return output;
  }
}
