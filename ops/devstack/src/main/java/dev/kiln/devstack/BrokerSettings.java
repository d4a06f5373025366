package dev.kiln.devstack;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The server.properties of a KRaft node with share groups, as proven on one 2-core machine: a single node, or one of
 * a cluster whose nodes are each broker and controller.
 */
final class BrokerSettings {
  private BrokerSettings() {}

  static List<String> singleNode(Path dataDir, int port, int controllerPort) {
    List<String> settings = new ArrayList<>(common(dataDir, port, controllerPort));
    settings.addAll(List.of("node.id=1", "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        // Defaults of 3 (and min ISR 2) cannot be met by one node: the internal topics would never be created.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1"));
    return settings;
  }

  /**
   * Node {@code nodeId} of a cluster whose controllers are {@code voters} ({@code id@host:port,...}): every topic,
   * Kiln's and the internal ones, on three replicas, and a write acknowledged by two of them.
   */
  static List<String> clusterNode(Path dataDir, int nodeId, int port, int controllerPort, String voters) {
    List<String> settings = new ArrayList<>(common(dataDir, port, controllerPort));
    settings.addAll(List.of("node.id=" + nodeId, "controller.quorum.voters=" + voters,
        "default.replication.factor=3",
        "min.insync.replicas=2",
        "offsets.topic.replication.factor=3",
        "transaction.state.log.replication.factor=3",
        "transaction.state.log.min.isr=2",
        "share.coordinator.state.topic.replication.factor=3",
        "share.coordinator.state.topic.min.isr=2"));
    return settings;
  }

  private static List<String> common(Path dataDir, int port, int controllerPort) {
    return List.of(
        "process.roles=broker,controller",
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir.resolve("kraft-logs"),
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "group.initial.rebalance.delay.ms=0",
        // Lets a deployment or a test lower a group's lock below the 15 s floor (the group sets its own).
        "group.share.min.record.lock.duration.ms=1000",
        "group.share.delivery.count.limit=10",
        "group.share.max.delivery.count.limit=10");
  }
}
