package dev.kiln.devstack;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Apicurio Registry (the Maven Central server distribution, in-memory storage) with a global BACKWARD
 * compatibility rule, serving the Confluent-compatible API under {@code /apis/ccompat/v7}.
 */
public final class SchemaRegistry implements AutoCloseable {
  private static final int MINIMUM_JAVA = 21;
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Path workDir;
  private final int port;
  private final boolean persistent;
  private ChildProcess process;

  private SchemaRegistry(Path workDir, int port, boolean persistent) {
    this.workDir = workDir;
    this.port = port;
    this.persistent = persistent;
  }

  /** A registry that forgets its schemas when it stops: for tests, whose broker is new every run too. */
  public static SchemaRegistry at(Path workDir, int port) {
    return new SchemaRegistry(workDir, port, false);
  }

  /**
   * A registry that keeps its schemas in an H2 file under {@code workDir}: a broker whose topics outlive a restart
   * needs the schemas their records name.
   */
  public static SchemaRegistry persistentAt(Path workDir, int port) {
    return new SchemaRegistry(workDir, port, true);
  }

  /** Starts the registry and sets the global compatibility rule; returns once both are in place. */
  public SchemaRegistry start() throws IOException {
    Path home = DevstackBuildInfo.registryHome();
    List<String> command = new ArrayList<>(List.of(JavaRuntimes.atLeast(MINIMUM_JAVA), "-Xms64m", "-Xmx384m",
        "-XX:+UseSerialGC", "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + port,
        // Quarkus's management interface defaults to 0.0.0.0:9000: a second registry on the machine (kiln-local
        // beside the tests' stack) or anything else there would keep this one from starting.
        "-Dquarkus.management.host=127.0.0.1", "-Dquarkus.management.port=" + Ports.free(),
        "-Dquarkus.log.level=WARN", "-Dquarkus.log.category.\"io.quarkus\".level=INFO",
        "-Dapicurio.rest.deletion.artifact.enabled=true"));
    if (persistent) {
      command.add("-Dapicurio.datasource.url=jdbc:h2:file:" + workDir.toAbsolutePath().resolve("schemas"));
    }
    command.addAll(List.of("-jar", home.resolve("quarkus-run.jar").toString()));
    process = ChildProcess.start("schema-registry", command, workDir.resolve("registry.log"));
    process.awaitReady(() -> get(coreUrl() + "/system/info") == 200, Duration.ofSeconds(90));
    RegistryRules.requireBackwardCompatibility(coreUrl());
    return this;
  }

  /** Base URL of the server, e.g. http://127.0.0.1:8081. */
  public String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** Apicurio's own v3 API, used by its serdes. */
  public String coreUrl() {
    return baseUrl() + "/apis/registry/v3";
  }

  /** The Confluent-compatible API. */
  public String confluentUrl() {
    return baseUrl() + "/apis/ccompat/v7";
  }

  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  static int get(String url) {
    try {
      HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).GET().build();
      return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
