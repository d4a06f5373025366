package dev.kiln.devstack;

import java.nio.file.Path;
import java.util.List;

/** The server.properties of a single-node KRaft broker with share groups, as proven on one 2-core machine. */
final class BrokerSettings {
  private BrokerSettings() {}

  static List<String> singleNode(Path dataDir, int port, int controllerPort) {
    return List.of(
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=PLAINTEXT",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dataDir.resolve("kraft-logs"),
        "num.partitions=1",
        "auto.create.topics.enable=false",
        // Defaults of 3 (and min ISR 2) cannot be met by one node: the internal topics would never be created.
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "share.coordinator.state.topic.replication.factor=1",
        "share.coordinator.state.topic.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        // Lets a deployment or a test lower a group's lock below the 15 s floor (the group sets its own).
        "group.share.min.record.lock.duration.ms=1000",
        "group.share.delivery.count.limit=10",
        "group.share.max.delivery.count.limit=10");
  }
}
