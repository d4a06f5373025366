package dev.kiln.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line entry for {@code ops/local/kiln-local}: runs the broker and the schema registry on fixed ports
 * with data under a directory, until the process is stopped.
 */
public final class LocalStack {
  private LocalStack() {}

  /** Arguments: data directory, Kafka port (the first of three with 3 brokers), registry port, brokers (1 or 3). */
  public static void main(String[] args) throws Exception {
    Path dataDir = Path.of(args.length > 0 ? args[0] : ".kiln");
    int kafkaPort = args.length > 1 ? Integer.parseInt(args[1]) : 9092;
    int registryPort = args.length > 2 ? Integer.parseInt(args[2]) : 8081;
    int brokers = args.length > 3 ? Integer.parseInt(args[3]) : 1;
    Files.createDirectories(dataDir);
    Files.deleteIfExists(dataDir.resolve("endpoints"));
    try (KafkaCluster broker = KafkaCluster.startOnPorts(dataDir.resolve("kafka"), brokers, kafkaPort);
         SchemaRegistry registry = SchemaRegistry.persistentAt(dataDir.resolve("registry"), registryPort).start()) {
      Files.write(dataDir.resolve("endpoints"), List.of(
          "KILN_KAFKA_BOOTSTRAP=" + broker.bootstrapServers(), "KILN_SCHEMA_REGISTRY_URL=" + registry.baseUrl()));
      System.out.println("kafka " + broker.bootstrapServers() + ", schema registry " + registry.baseUrl());
      Thread.currentThread().join();
    }
  }
}
