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

  static List<String> singleNode(Path dataDir, int port, int controllerPort, KafkaUsers users) {
    List<String> settings = new ArrayList<>(common(dataDir, port, controllerPort, users));
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
  static List<String> clusterNode(Path dataDir, int nodeId, int port, int controllerPort, String voters,
      KafkaUsers users) {
    List<String> settings = new ArrayList<>(common(dataDir, port, controllerPort, users));
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

  private static List<String> common(Path dataDir, int port, int controllerPort, KafkaUsers users) {
    List<String> settings = new ArrayList<>(security(port, controllerPort, users));
    settings.addAll(List.of(
        "log.dirs=" + dataDir.resolve("kraft-logs"),
        "num.partitions=1",
        "auto.create.topics.enable=false",
        "group.initial.rebalance.delay.ms=0",
        // Lets a deployment or a test lower a group's lock below the 15 s floor (the group sets its own).
        "group.share.min.record.lock.duration.ms=1000",
        "group.share.delivery.count.limit=10",
        "group.share.max.delivery.count.limit=10"));
    return settings;
  }

  /**
   * Every connection authenticated and every request authorized: clients and brokers sign in with SCRAM on the
   * broker listener; brokers reach the controllers with PLAIN, whose users the controllers' own settings hold,
   * because a controller cannot check SCRAM credentials that live in the metadata it serves. Only the brokers and
   * the operator are super users; the services get what Kiln's ACLs grant them.
   */
  private static List<String> security(int port, int controllerPort, KafkaUsers users) {
    String broker = KafkaUsers.BROKER;
    String plain = users.jaas("org.apache.kafka.common.security.plain.PlainLoginModule", broker)
        + " user_" + broker + "=\"" + users.password(broker) + "\";";
    return List.of(
        "process.roles=broker,controller",
        "listeners=BROKER://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=BROKER://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "inter.broker.listener.name=BROKER",
        "listener.security.protocol.map=BROKER:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT",
        "listener.name.broker.sasl.enabled.mechanisms=" + KafkaUsers.MECHANISM,
        "listener.name.broker.scram-sha-512.sasl.jaas.config="
            + users.jaas("org.apache.kafka.common.security.scram.ScramLoginModule", broker) + ";",
        "sasl.mechanism.inter.broker.protocol=" + KafkaUsers.MECHANISM,
        "listener.name.controller.sasl.enabled.mechanisms=PLAIN",
        "listener.name.controller.plain.sasl.jaas.config=" + plain,
        "sasl.mechanism.controller.protocol=PLAIN",
        "authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer",
        "super.users=User:" + broker + ";User:" + KafkaUsers.OPERATOR);
  }
}
