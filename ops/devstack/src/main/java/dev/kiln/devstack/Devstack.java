package dev.kiln.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The broker and schema registry that Kiln's tests share within one JVM: started on first use on free ports, or,
 * when {@code KILN_KAFKA_BOOTSTRAP} and {@code KILN_SCHEMA_REGISTRY_URL} are set, those already running (their
 * SCRAM users in {@code KILN_KAFKA_USERS_FILE}, as kiln-local writes it). {@code KILN_TEST_BROKERS=3} starts three
 * brokers instead of one (replication factor 3, min ISR 2). Every client signs in: the brokers authorize each
 * request against Kiln's ACLs.
 */
public final class Devstack {
  private static Endpoints shared;
  private static KafkaCluster sharedCluster;

  private Devstack() {}

  /**
   * Where the stack's services listen and who may sign in to its brokers. {@code registryUrl} is the server's
   * base URL.
   */
  public record Endpoints(String bootstrapServers, String registryUrl, KafkaUsers users) {
    /** A Kafka client's connection settings (a map of its own to add to), signed in as {@code user}. */
    public java.util.Map<String, Object> kafkaAs(String user) {
      return users.clientProperties(bootstrapServers, user);
    }

    /** Signed in as the operator, a super user: for what a test does outside any service's part. */
    public java.util.Map<String, Object> kafka() {
      return kafkaAs(KafkaUsers.OPERATOR);
    }

    /** The environment a Kiln service signs in with as {@code user} ({@code KILN_KAFKA_USERNAME}, ...). */
    public java.util.Map<String, String> loginEnvironment(String variablePrefix, String user) {
      return java.util.Map.of(variablePrefix + "USERNAME", user, variablePrefix + "PASSWORD", users.password(user));
    }

    /** Apicurio's v3 API, as its serdes want it. */
    public String registryCoreUrl() {
      return registryUrl + "/apis/registry/v3";
    }

    /** The Confluent-compatible API. */
    public String registryConfluentUrl() {
      return registryUrl + "/apis/ccompat/v7";
    }
  }

  /** The stack for this JVM, started on the first call. */
  public static synchronized Endpoints shared() {
    if (shared == null) {
      shared = fromEnvironment();
    }
    if (shared == null) {
      shared = startFresh();
    }
    return shared;
  }

  /** The shared brokers when this JVM started them (so a test may stop and restart one); empty for external ones. */
  public static synchronized java.util.Optional<KafkaCluster> sharedCluster() {
    shared();
    return java.util.Optional.ofNullable(sharedCluster);
  }

  /** How many brokers a fresh stack runs: {@code KILN_TEST_BROKERS}, 1 by default. */
  private static int brokers() {
    String configured = System.getenv("KILN_TEST_BROKERS");
    return configured == null || configured.isBlank() ? 1 : Integer.parseInt(configured.trim());
  }

  private static Endpoints fromEnvironment() {
    String kafka = System.getenv("KILN_KAFKA_BOOTSTRAP");
    String registry = System.getenv("KILN_SCHEMA_REGISTRY_URL");
    if (kafka == null || registry == null) {
      return null;
    }
    String usersFile = System.getenv("KILN_KAFKA_USERS_FILE");
    if (usersFile == null) {
      throw new IllegalStateException("KILN_KAFKA_BOOTSTRAP is set but KILN_KAFKA_USERS_FILE is not: name the"
          + " stack's users file (kiln-local's is .kiln/data/kafka-users.properties)");
    }
    try {
      return new Endpoints(kafka, registry, KafkaUsers.read(Path.of(usersFile)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Endpoints startFresh() {
    try {
      Path dir = Files.createTempDirectory("kiln-devstack-");
      // Both JVMs start in parallel: together they take about as long as the slower one.
      SchemaRegistry registry = SchemaRegistry.at(dir.resolve("registry"), Ports.free());
      Thread registryStart = new Thread(() -> start(registry), "start-schema-registry");
      registryStart.start();
      KafkaCluster cluster = KafkaCluster.start(dir.resolve("kafka"), brokers(), KafkaUsers.random());
      sharedCluster = cluster;
      registryStart.join();
      if (!Ports.listening(Integer.parseInt(registry.baseUrl().replaceAll(".*:", "")))) {
        throw new IllegalStateException("schema registry did not start; see " + dir.resolve("registry/registry.log"));
      }
      return new Endpoints(cluster.bootstrapServers(), registry.baseUrl(), cluster.users());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void start(SchemaRegistry registry) {
    try {
      registry.start();
    } catch (IOException | RuntimeException e) {
      System.err.println("schema registry failed to start: " + e.getMessage());
    }
  }
}
