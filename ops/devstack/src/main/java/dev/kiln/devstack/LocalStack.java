package dev.kiln.devstack;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Command-line entry for {@code ops/local/kiln-local}: runs the broker and the schema registry on fixed ports
 * with data under a directory, until the process is stopped. The brokers' SCRAM users and passwords are made on
 * first start and kept in {@code kafka-users.properties} there (readable by this user only).
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
    Path usersFile = dataDir.resolve("kafka-users.properties");
    if (!Files.exists(usersFile) && Files.exists(dataDir.resolve("kafka"))) {
      // SCRAM users are written when storage is formatted: brokers formatted before they existed cannot sign in.
      throw new IllegalStateException(dataDir.resolve("kafka") + " was made by a Kiln whose brokers took anyone;"
          + " remove it (its builds and templates go with it) and start again");
    }
    KafkaUsers users = KafkaUsers.keptIn(usersFile);
    try (KafkaCluster broker = KafkaCluster.startOnPorts(dataDir.resolve("kafka"), brokers, kafkaPort, users);
         SchemaRegistry registry = SchemaRegistry.persistentAt(dataDir.resolve("registry"), registryPort).start()) {
      Files.write(dataDir.resolve("endpoints"), List.of(
          "KILN_KAFKA_BOOTSTRAP=" + broker.bootstrapServers(), "KILN_SCHEMA_REGISTRY_URL=" + registry.baseUrl(),
          "KILN_KAFKA_USERS_FILE=" + usersFile.toAbsolutePath()));
      System.out.println("kafka " + broker.bootstrapServers() + ", schema registry " + registry.baseUrl());
      Thread.currentThread().join();
    }
  }
}
