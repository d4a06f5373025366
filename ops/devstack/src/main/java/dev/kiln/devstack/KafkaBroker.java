package dev.kiln.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * A real KRaft broker (broker and controller in one JVM), formatted and started from the Kafka jars that Maven
 * resolved for this module: a cluster of its own, or one node of a {@link KafkaCluster}.
 */
public final class KafkaBroker implements AutoCloseable {
  private final Path dataDir;
  private final int port;
  private final int controllerPort;
  private final String heap;
  /** The node in a cluster: its id, the cluster's voters and id; null for a single node. */
  private final ClusterNode node;
  private final KafkaUsers users;
  private ChildProcess process;

  /** Node {@code id} of a cluster of static {@code voters} ({@code id@host:port,...}) and the given cluster id. */
  record ClusterNode(int id, String voters, String clusterId) {}

  private KafkaBroker(Path dataDir, int port, int controllerPort, String heap, ClusterNode node, KafkaUsers users) {
    this.users = users;
    this.dataDir = dataDir;
    this.port = port;
    this.controllerPort = controllerPort;
    this.heap = heap;
    this.node = node;
  }

  /**
   * A broker that will keep its logs under {@code dataDir} and listen on 127.0.0.1:{@code port}, where only
   * {@code users} sign in.
   */
  public static KafkaBroker at(Path dataDir, int port, KafkaUsers users) {
    return new KafkaBroker(dataDir, port, Ports.free(), "512m", null, users);
  }

  /** One node of a cluster, listening on 127.0.0.1:{@code port} and, as a controller, on {@code controllerPort}. */
  static KafkaBroker node(Path dataDir, int port, int controllerPort, ClusterNode node, KafkaUsers users) {
    return new KafkaBroker(dataDir, port, controllerPort, "384m", node, users);
  }

  /** Formats the storage on first use and starts the broker; returns once it accepts connections. */
  public KafkaBroker start() throws IOException {
    prepare();
    launch();
    awaitStarted();
    return this;
  }

  /** Where this run's part of the broker log begins. */
  private long logStart;

  /** Starts the process without waiting: a cluster's nodes start only together, once a majority of them runs. */
  void launch() throws IOException {
    Path log = dataDir.resolve("broker.log");
    // A restart appends to the same log: only what this run wrote counts.
    logStart = Files.exists(log) ? Files.size(log) : 0;
    process = ChildProcess.start("kafka-broker", java("kafka.Kafka", dataDir.resolve("server.properties").toString()),
        log);
  }

  void awaitStarted() {
    process.awaitReady(() -> Ports.listening(port) && logSays("Kafka Server started", logStart),
        Duration.ofSeconds(90));
  }

  /** Formats storage with the cluster's static voters, or as a standalone controller of a fresh cluster. */
  private String[] formatArguments(Path config) {
    List<String> arguments = new ArrayList<>(node != null
        ? List.of("format", "--ignore-formatted", "-t", node.clusterId(), "-c", config.toString())
        : List.of("format", "--standalone", "--ignore-formatted",
            "-t", UUID.randomUUID().toString().replace("-", "").substring(0, 22), "-c", config.toString()));
    // SCRAM credentials are metadata: written at format time, the brokers can sign in to each other at first start.
    arguments.addAll(users.formatArguments());
    return arguments.toArray(String[]::new);
  }

  /** Formats this node's storage if it is new and writes its config; the cluster starts its nodes together. */
  void prepare() throws IOException {
    Files.createDirectories(dataDir);
    Path config = writeConfig();
    if (!Files.exists(dataDir.resolve("kraft-logs/meta.properties"))) {
      ChildProcess.runToCompletion("kafka-storage-format", java("kafka.tools.StorageTool", formatArguments(config)),
          dataDir.resolve("format.log"));
    }
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** A clean stop and a start on the same port and data, as in a rolling restart of a one-broker cluster. */
  public void restart() throws IOException {
    close();
    start();
  }

  /** SIGKILL, as a crashed machine would stop: its data stays for a restart. */
  public void kill() {
    if (process != null) {
      process.kill();
    }
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
    List<String> settings = node == null ? BrokerSettings.singleNode(dataDir, port, controllerPort, users)
        : BrokerSettings.clusterNode(dataDir, node.id(), port, controllerPort, node.voters(), users);
    Files.writeString(config, String.join("\n", settings) + "\n");
    return config;
  }
}
