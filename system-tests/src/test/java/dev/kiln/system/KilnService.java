package dev.kiln.system;

import dev.kiln.devstack.ChildProcess;
import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.JavaRuntimes;
import dev.kiln.devstack.Ports;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A gateway or a worker running from its exec jar in its own JVM, as in production. */
final class KilnService implements AutoCloseable {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private final ChildProcess process;
  private final int port;

  private KilnService(ChildProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  static KilnService gateway(String name, String topicPrefix, Map<String, String> settings) throws IOException {
    int port = Ports.free();
    Map<String, String> env = environment(topicPrefix, settings);
    env.put("KILN_GATEWAY_PORT", String.valueOf(port));
    return start(name, "kiln.gateway.jar", env, port, "/actuator/health/readiness");
  }

  static KilnService worker(String name, String topicPrefix, Map<String, String> settings) throws IOException {
    int port = Ports.free();
    Map<String, String> env = environment(topicPrefix, settings);
    env.put("KILN_WORKER_PORT", String.valueOf(port));
    env.put("KILN_WORKER_ID", name);
    return start(name, "kiln.worker.jar", env, port, "/actuator/health");
  }

  private static Map<String, String> environment(String topicPrefix, Map<String, String> settings) {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, String> env = new HashMap<>(settings);
    env.put("KILN_KAFKA_BOOTSTRAP", stack.bootstrapServers());
    env.put("KILN_SCHEMA_REGISTRY_URL", stack.registryUrl());
    env.put("KILN_TOPIC_PREFIX", topicPrefix);
    return env;
  }

  private static KilnService start(String name, String jarProperty, Map<String, String> env, int port,
      String readyPath) throws IOException {
    String jar = System.getProperty(jarProperty);
    List<String> command = List.of(JavaRuntimes.current(), "-Xmx384m", "-XX:TieredStopAtLevel=1", "-jar", jar);
    ChildProcess process = ChildProcess.start(name, command, env, Path.of("target", "system-logs", name + ".log"));
    KilnService service = new KilnService(process, port);
    process.awaitReady(() -> service.status(readyPath) == 200, Duration.ofSeconds(120));
    return service;
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
