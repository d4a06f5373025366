package dev.kiln.system;

import dev.kiln.devstack.ChildProcess;
import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.JavaRuntimes;
import dev.kiln.devstack.KafkaUsers;
import dev.kiln.devstack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A gateway or a worker running from its exec jar in its own JVM, as in production. */
final class KilnService implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final String name;
  private final String jarProperty;
  private final Map<String, String> env;
  private final int port;
  private final String readyPath;
  private volatile ChildProcess process;

  private KilnService(String name, String jarProperty, Map<String, String> env, int port, String readyPath) {
    this.name = name;
    this.jarProperty = jarProperty;
    this.env = env;
    this.port = port;
    this.readyPath = readyPath;
  }

  /** Quotas far above what any system test sends; the SDK conformance test runs with the shipped defaults. */
  static final Map<String, String> RAISED_QUOTAS = Map.of("KILN_RATE_REQUESTS_PER_MINUTE", "1000000",
      "KILN_RATE_BUILDS_PER_HOUR", "1000000", "KILN_MAX_ACTIVE_BUILDS_PER_ORG", "1000000");

  /** A gateway with raised quotas (settings may set others). */
  static KilnService gateway(String name, String topicPrefix, Map<String, String> settings) throws IOException {
    Map<String, String> withQuotas = new HashMap<>(RAISED_QUOTAS);
    withQuotas.putAll(settings);
    return gatewayWithDefaultQuotas(name, topicPrefix, withQuotas);
  }

  /** A gateway with the quotas it ships with. */
  static KilnService gatewayWithDefaultQuotas(String name, String topicPrefix, Map<String, String> settings)
      throws IOException {
    int port = Ports.free();
    Map<String, String> env = gatewayEnvironment(topicPrefix, settings);
    env.put("KILN_GATEWAY_PORT", String.valueOf(port));
    // Kafka Streams locks its state dir's tasks: each gateway needs its own (kept across its restarts).
    env.putIfAbsent("KILN_LEDGER_STATE_DIR", Files.createTempDirectory("kiln-ledger-" + name + "-").toString());
    return start(name, "kiln.gateway.jar", env, port, "/readyz");
  }

  static KilnService worker(String name, String topicPrefix, Map<String, String> settings) throws IOException {
    int port = Ports.free();
    Map<String, String> env = environment(topicPrefix, settings);
    env.putAll(Devstack.shared().loginEnvironment("KILN_KAFKA_", KafkaUsers.WORKER));
    env.put("KILN_WORKER_PORT", String.valueOf(port));
    env.put("KILN_WORKER_ID", name);
    return start(name, "kiln.worker.jar", env, port, "/readyz");
  }

  /** A gateway signs in twice: its HTTP side as the gateway, its template ledger as the ledger. */
  private static Map<String, String> gatewayEnvironment(String topicPrefix, Map<String, String> settings) {
    Map<String, String> env = environment(topicPrefix, settings);
    env.putAll(Devstack.shared().loginEnvironment("KILN_KAFKA_", KafkaUsers.GATEWAY));
    env.putAll(Devstack.shared().loginEnvironment("KILN_LEDGER_KAFKA_", KafkaUsers.LEDGER));
    return env;
  }

  private static Map<String, String> environment(String topicPrefix, Map<String, String> settings) {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, String> env = new HashMap<>(settings);
    env.put("KILN_KAFKA_BOOTSTRAP", stack.bootstrapServers());
    env.put("KILN_SCHEMA_REGISTRY_URL", stack.registryUrl());
    env.put("KILN_TOPIC_PREFIX", topicPrefix);
    KafkaGrants.forPrefix(topicPrefix);
    return env;
  }

  private static KilnService start(String name, String jarProperty, Map<String, String> env, int port,
      String readyPath) throws IOException {
    KilnService service = new KilnService(name, jarProperty, env, port, readyPath);
    service.start();
    return service;
  }

  /**
   * Not a Kiln setting: the test's own, the service JVM's maximum heap ({@code -Xmx}, 384m unless set). A service
   * that runs out of it exits.
   */
  static final String MAX_HEAP = "KILN_TEST_MAX_HEAP";

  /** C1 only: these services live for a test's minutes, where start-up time matters more than peak speed. */
  private List<String> jvmFlags() {
    return List.of("-Xmx" + env.getOrDefault(MAX_HEAP, "384m"), "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError");
  }

  /** Starts the process (again, after a kill) on the same port and settings; returns once it is ready. */
  void start() throws IOException {
    String jar = System.getProperty(jarProperty);
    List<String> command = new ArrayList<>(List.of(JavaRuntimes.current()));
    command.addAll(jvmFlags());
    command.addAll(ClassDataArchives.launch(jar, this::trainingEnvironment, jvmFlags()));
    process = ChildProcess.start(name, command, env, Path.of("target", "system-logs", name + ".log"));
    process.awaitReady(() -> status(readyPath) == 200, Duration.ofSeconds(180));
  }

  /** The service's process id, while it runs. */
  long pid() {
    return process.pid();
  }

  String name() {
    return name;
  }

  /** The CPU time this start of the service has used so far. */
  Duration cpuTime() {
    return process.cpuTime();
  }

  /**
   * This service's settings for the class-data training run: its own topics, ports, ids and ledger state, and a
   * claim lock long enough that its container sweeper never runs before the run exits.
   */
  private Map<String, String> trainingEnvironment() {
    Map<String, String> training = new HashMap<>(env);
    training.put("KILN_TOPIC_PREFIX", "cds" + java.util.UUID.randomUUID().toString().substring(0, 8));
    KafkaGrants.forPrefix(training.get("KILN_TOPIC_PREFIX"));
    training.replaceAll((key, value) -> key.endsWith("_PORT") ? String.valueOf(Ports.free()) : value);
    training.computeIfPresent("KILN_WORKER_ID", (key, value) -> "cds-training");
    training.computeIfPresent("KILN_LEDGER_STATE_DIR", (key, value) -> tempDir("kiln-cds-ledger-"));
    // The broker's ceiling (60 s): a longer lock fails the worker's share-group set-up, and the run then records
    // only the classes of a failed start.
    training.put("KILN_CLAIM_LOCK_DURATION", "60s");
    return training;
  }

  private static String tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix).toString();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** SIGSTOP: the process is frozen, as in a long GC pause or a hung VM, until {@link #resume()}. */
  void pause() {
    signal("STOP");
  }

  /** SIGCONT. */
  void resume() {
    signal("CONT");
  }

  private void signal(String signal) {
    if (!process.isAlive()) {
      return;
    }
    try {
      int exit = new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " exited " + exit);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Where the process's output goes. */
  Path logFile() {
    return process.logFile();
  }

  /**
   * Runs a gateway that is expected not to start: returns its output once it exited, or fails if it is still up
   * after {@code timeout}.
   */
  static String gatewayRefusingToStart(String name, String topicPrefix, Map<String, String> settings,
      Duration timeout) throws IOException, InterruptedException {
    Map<String, String> env = gatewayEnvironment(topicPrefix, settings);
    env.put("KILN_GATEWAY_PORT", String.valueOf(Ports.free()));
    Path log = Files.createDirectories(Path.of("target", "system-logs")).resolve(name + ".log");
    ProcessBuilder builder = new ProcessBuilder(JavaRuntimes.current(), "-Xmx384m", "-XX:TieredStopAtLevel=1",
        "-XX:+ExitOnOutOfMemoryError", "-jar", System.getProperty("kiln.gateway.jar")).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(variable -> variable.startsWith("KILN_"));
    builder.environment().putAll(env);
    Process gateway = builder.start();
    if (!gateway.waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
      gateway.destroyForcibly();
      throw new AssertionError(name + " was still running after " + timeout);
    }
    return Files.readString(log);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  /** SIGKILL. */
  void kill() {
    process.kill();
  }

  /** SIGTERM: a graceful stop. */
  @Override
  public void close() {
    process.close();
  }

  private int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
