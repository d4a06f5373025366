package dev.kiln.devstack;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Real KRaft brokers on this machine, each broker and controller, with a static quorum: one node, or three with
 * every topic on three replicas and {@code min.insync.replicas} 2, the shape a fleet outgrows one machine on.
 */
public final class KafkaCluster implements AutoCloseable {
  private final List<KafkaBroker> nodes;
  private final KafkaUsers users;

  private KafkaCluster(List<KafkaBroker> nodes, KafkaUsers users) {
    this.nodes = nodes;
    this.users = users;
  }

  /**
   * Starts {@code size} nodes (1 or 3) under {@code dataDir}, on free ports, where only {@code users} sign in;
   * returns once every node runs.
   */
  public static KafkaCluster start(Path dataDir, int size, KafkaUsers users) throws IOException {
    return startOnPorts(dataDir, size, 0, users);
  }

  /**
   * As {@link #start}, the nodes listening on {@code firstPort} and the ports after it (controllers on free
   * ports); 0 for free ports throughout. A single node keeps its data directly under {@code dataDir}.
   */
  public static KafkaCluster startOnPorts(Path dataDir, int size, int firstPort, KafkaUsers users)
      throws IOException {
    if (size == 1) {
      return new KafkaCluster(List.of(KafkaBroker.at(dataDir, firstPort == 0 ? Ports.free() : firstPort, users)
          .start()), users);
    }
    if (size != 3) {
      throw new IllegalArgumentException("a cluster of " + size + " brokers: 1 or 3 are supported");
    }
    List<Integer> ports = new ArrayList<>();
    List<Integer> controllerPorts = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      ports.add(firstPort == 0 ? Ports.free() : firstPort + i);
      controllerPorts.add(Ports.free());
    }
    String voters = java.util.stream.IntStream.range(0, size)
        .mapToObj(i -> (i + 1) + "@127.0.0.1:" + controllerPorts.get(i)).collect(Collectors.joining(","));
    String clusterId = UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    List<KafkaBroker> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      KafkaBroker.ClusterNode node = new KafkaBroker.ClusterNode(i + 1, voters, clusterId);
      nodes.add(KafkaBroker.node(dataDir.resolve("node-" + (i + 1)), ports.get(i), controllerPorts.get(i), node, users));
    }
    for (KafkaBroker node : nodes) {
      node.prepare();
    }
    // A node starts only once a majority of the quorum runs: launch all, then wait for each.
    for (KafkaBroker node : nodes) {
      node.launch();
    }
    for (KafkaBroker node : nodes) {
      node.awaitStarted();
    }
    return new KafkaCluster(nodes, users);
  }

  public List<KafkaBroker> nodes() {
    return nodes;
  }

  /** Every node's address, as a client's {@code bootstrap.servers}. */
  public String bootstrapServers() {
    return nodes.stream().map(KafkaBroker::bootstrapServers).collect(Collectors.joining(","));
  }

  /** The users who may sign in, with their passwords. */
  public KafkaUsers users() {
    return users;
  }

  @Override
  public void close() {
    nodes.forEach(KafkaBroker::close);
  }
}
