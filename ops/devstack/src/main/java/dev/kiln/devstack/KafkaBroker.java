package dev.kiln.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real single-node KRaft broker (broker and controller in one JVM), formatted and started from the Kafka jars
 * that Maven resolved for this module.
 */
public final class KafkaBroker implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final String heap;
  private ChildProcess process;

  private KafkaBroker(Path dataDir, int port, int controllerPort, String heap) {
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.heap = heap;
  }

  /** A broker that will keep its logs under {@code dataDir} and listen on 127.0.0.1:{@code port}. */
  public static KafkaBroker at(Path dataDir, int port) {
    return new KafkaBroker(dataDir, port, Ports.free(), "512m");
  }

  /** Formats the storage on first use and starts the broker; returns once it accepts connections. */
  public KafkaBroker start() throws IOException {
    Files.createDirectories(dataDir);
    Path config = writeConfig();
    if (!Files.exists(dataDir.resolve("kraft-logs/meta.properties"))) {
      ChildProcess.runToCompletion("kafka-storage-format",
          java("kafka.tools.StorageTool", "format", "--standalone", "--ignore-formatted",
              "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString()),
          dataDir.resolve("format.log"));
    }
    Path log = dataDir.resolve("broker.log");
    // A restart appends to the same log: only what this run wrote counts.
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    process = ChildProcess.start("kafka-broker", java("kafka.Kafka", config.toString()), log);
    process.awaitReady(() -> Ports.listening(port) && logSays("Kafka Server started", logStart),
        Duration.ofSeconds(90));
    return this;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public long pid() {
    return process.pid();
  }

  /** A clean stop and a start on the same port and data, as in a rolling restart of a one-broker cluster. */
  public void restart() throws IOException {
    close();
    start();
  }

  /** Stops the broker (SIGTERM, then SIGKILL after 15 s); its data stays for a restart. */
  @Override
  public void close() {
    if (process != null) {
      process.close();
    }
  }

  private boolean logSays(String text, long from) {
    try {
      byte[] log = Files.readAllBytes(process.logFile());
      return new String(log, (int) Math.min(from, log.length), (int) Math.max(0, log.length - from),
          java.nio.charset.StandardCharsets.UTF_8).contains(text);
    } catch (IOException e) {
      return false;
    }
  }

  private List<String> java(String mainClass, String... args) {
    List<String> command = new ArrayList<>(List.of(
        JavaRuntimes.current(), "-Xms128m", "-Xmx" + heap, "-XX:+UseSerialGC",
        "-Dlog4j2.configurationFile=" + dataDir.resolve("log4j2.properties"),
        "-cp", DevstackBuildInfo.brokerClasspath(), mainClass));
    command.addAll(List.of(args));
    return command;
  }

  private Path writeConfig() throws IOException {
    Files.writeString(dataDir.resolve("log4j2.properties"), String.join("\n",
        "rootLogger.level=INFO",
        "rootLogger.appenderRef.stdout.ref=STDOUT",
        "appender.stdout.type=Console",
        "appender.stdout.name=STDOUT",
        "appender.stdout.layout.type=PatternLayout",
        "appender.stdout.layout.pattern=[%d] %p %m (%c)%n",
        "logger.kafka.name=kafka", "logger.kafka.level=WARN",
        "logger.apache.name=org.apache.kafka", "logger.apache.level=WARN",
        "logger.started.name=kafka.server.KafkaRaftServer", "logger.started.level=INFO", ""));
    Path config = dataDir.resolve("server.properties");
    Files.writeString(config, String.join("\n", BrokerSettings.singleNode(dataDir, port, controllerPort)) + "\n");
    return config;
  }
}
