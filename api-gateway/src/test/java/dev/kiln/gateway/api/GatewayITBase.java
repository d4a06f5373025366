package dev.kiln.gateway.api;

import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.KafkaUsers;
import dev.kiln.schema.kafka.KilnAcls;
import dev.kiln.schema.kafka.KilnPrincipals;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;

/**
 * A gateway on a random port against the shared real broker and schema registry, with three organizations, and
 * quotas raised far above what any test sends ({@code QuotaDefaultsIT} runs with the shipped defaults).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@TestPropertySource(properties = {"kiln.quotas.requests-per-minute=1000000", "kiln.quotas.builds-per-hour=1000000",
    "kiln.quotas.max-active-builds-per-org=1000000", "kiln.ledger-state-dir=" + GatewayITBase.LEDGER_STATE_DIR,
    "kiln.admin-token=" + GatewayITBase.ADMIN_TOKEN})
abstract class GatewayITBase {
  static final String PREFIX = "gwapi" + UUID.randomUUID().toString().substring(0, 8);
  /**
   * Each gateway its own ledger state dir: other test JVMs on this machine, and the other contexts of this one
   * (a class with other properties starts another gateway), may run a ledger at the same time.
   */
  static final String LEDGER_STATE_DIR = "${java.io.tmpdir}/kiln-ledger-${kiln.topic-prefix}";
  static final String KEY = "key-org-a";
  static final String ADMIN_TOKEN = "admin-token-for-tests";
  static final String OTHER_KEY = "key-org-b";
  /** Only the quota tests use this organization: its active builds are theirs alone. */
  static final String QUOTA_KEY = "key-org-q";

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    gateway(registry, PREFIX);
  }

  /** The settings of a test gateway on its own topics; other test classes with their own prefix use it too. */
  static void gateway(DynamicPropertyRegistry registry, String prefix) {
    Devstack.Endpoints stack = Devstack.shared();
    // As an operator would: the prefix's ACLs, then a gateway that signs in as the gateway and the ledger.
    KilnAcls.grant(stack.kafka(), KilnTopics.withPrefix(prefix), KilnPrincipals.DEFAULT);
    registry.add("kiln.kafka-bootstrap", stack::bootstrapServers);
    registry.add("kiln.kafka-login.username", () -> KafkaUsers.GATEWAY);
    registry.add("kiln.kafka-login.password", () -> stack.users().password(KafkaUsers.GATEWAY));
    registry.add("kiln.ledger-kafka-login.username", () -> KafkaUsers.LEDGER);
    registry.add("kiln.ledger-kafka-login.password", () -> stack.users().password(KafkaUsers.LEDGER));
    registry.add("kiln.schema-registry-url", stack::registryUrl);
    registry.add("kiln.topic-prefix", () -> prefix);
    registry.add("kiln.bootstrap-api-key", () -> KEY);
    registry.add("kiln.default-organization", () -> "org-a");
    registry.add("kiln.api-keys", () -> OTHER_KEY + ":org-b," + QUOTA_KEY + ":org-q");
  }

  @LocalServerPort
  int port;
  GatewayHttp http;

  @BeforeEach
  void client() throws Exception {
    http = new GatewayHttp(port);
    announceWorker();
    // As a load balancer would: requests go to the gateway once it says it is ready (its ledger has its tasks).
    org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(90)).until(this::ready);
  }

  /** Whether the gateway answers /readyz with 200; a gateway speaking TLS is asked over TLS. */
  boolean ready() throws Exception {
    return http.get("/readyz", null).status() == 200;
  }

  /**
   * These tests run no worker process: a heartbeat written as a worker would write it (up to 4 vCPUs, plenty of
   * slots, beating every hour) makes the gateway admit builds.
   */
  private static synchronized void announceWorker() throws Exception {
    if (workerAnnounced) {
      return;
    }
    Devstack.Endpoints stack = Devstack.shared();
    Instant now = Instant.now();
    Resources total = new Resources(4, 64000, 250);
    WorkerHeartbeat heartbeat = WorkerHeartbeat.newBuilder().setWorkerId("it-worker").setVersion("it")
        .setTotal(total).setFree(total).setMaxBuild(total).setSlots(1000).setFreeSlots(1000)
        .setRunningBuilds(List.of()).setIntervalMs(3_600_000).setStartedAt(now).setSentAt(now).build();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(PREFIX + ".workers", "it-worker", heartbeat)).get();
    }
    Thread.sleep(500); // the gateway's worker view reads it
    workerAnnounced = true;
  }

  private static boolean workerAnnounced;

}
