package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A gateway (re)started on an installation with 10,000 builds in its topics rebuilds its projections before it
 * reports ready, and then answers for old builds. Prints its time to ready against a start on empty topics.
 */
class GatewayRestartSystemIT {
  static final String KEY = "restart-test-key";
  static final int BUILDS = 10_000;

  @Test
  void gatewayWith10000BuildsInTheTopics_isReadyWithEveryBuildKnown() throws Exception {
    String emptyPrefix = "restart-empty-" + UUID.randomUUID().toString().substring(0, 8);
    String fullPrefix = "restart-full-" + UUID.randomUUID().toString().substring(0, 8);
    createTopics(emptyPrefix);
    createTopics(fullPrefix);
    List<String> buildIds = writeFinishedBuilds(KilnTopics.withPrefix(fullPrefix), BUILDS);

    long emptyMillis = timeToReady("restart-gateway-empty", emptyPrefix, null);
    long fullMillis = timeToReady("restart-gateway-full", fullPrefix, buildIds);

    System.out.printf("gateway time to ready: %d builds %d ms, empty topics %d ms, ratio %.2f%n", BUILDS, fullMillis,
        emptyMillis, (double) fullMillis / emptyMillis);
  }

  /** Starts a gateway, checks the builds it should know, stops it; returns start to ready. */
  private static long timeToReady(String name, String prefix, List<String> knownBuilds) throws Exception {
    long start = System.nanoTime();
    try (KilnService gateway = KilnService.gateway(name, prefix, Map.of("KILN_BOOTSTRAP_API_KEY", KEY))) {
      long ready = Duration.ofNanos(System.nanoTime() - start).toMillis();
      if (knownBuilds != null) {
        KilnApi api = new KilnApi(gateway.baseUrl(), KEY);
        for (String buildId : List.of(knownBuilds.get(0), knownBuilds.get(knownBuilds.size() / 2),
            knownBuilds.get(knownBuilds.size() - 1))) {
          JsonNode status = api.status(buildId);
          assertThat(status.get("status").asString()).as(buildId).isEqualTo("active");
        }
      }
      return ready;
    }
  }

  private static void createTopics(String prefix) throws Exception {
    try (Admin admin = Admin.create(Devstack.shared().kafka())) {
      admin.createTopics(KilnTopics.withPrefix(prefix).all().stream().map(spec -> spec.toNewTopic()).toList())
          .all().get();
    }
  }

  /** Writes each build's request and its terminal status, as the ledger and a worker would have. */
  private static List<String> writeFinishedBuilds(KilnTopics topics, int count) {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, Object> config = KilnSerdes.producer(stack.kafka(), stack.registryUrl());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    List<String> ids = new ArrayList<>();
    try (KafkaProducer<String, SpecificRecord> producer = new KafkaProducer<>(config)) {
      for (int i = 0; i < count; i++) {
        String buildId = UUID.randomUUID().toString();
        ids.add(buildId);
        Instant at = Instant.now();
        producer.send(new ProducerRecord<>(topics.buildRequests(SizeClass.SMALL), buildId, request(buildId, i, at)));
        producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, active(buildId, i, at)));
      }
      producer.flush();
    }
    return ids;
  }

  private static BuildRequested request(String buildId, int i, Instant at) {
    return BuildRequested.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("default")
        .setTemplateName("old-" + i).setRequestId("req-" + i).setRequestedAt(at).setFromImage("busybox:latest")
        .setResources(new Resources(1, 512, 1))
        .setSteps(List.of(Step.newBuilder().setKind(StepKind.RUN).setArgs(List.of("echo " + i)).build())).build();
  }

  private static BuildStatusChanged active(String buildId, int i, Instant at) {
    return BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId).setOrganizationId("default")
        .setTemplateName("old-" + i).setAttempt(1).setWorkerId("w").setStatus(BuildStatus.ACTIVE).setProgress(100)
        .setImageRef("kiln/default/old-" + i + ":" + buildId).setImageId("sha256:" + i).setStartedAt(at)
        .setCompletedAt(at).setLogChunks(0).setOccurredAt(at).build();
  }
}
