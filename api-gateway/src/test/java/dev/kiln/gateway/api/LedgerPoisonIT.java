package dev.kiln.gateway.api;

import static dev.kiln.gateway.api.GatewayApiIT.validBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/**
 * Issue 9, finding 1: a build that fails with ~900 KB of error text once made the ledger's state too large for
 * Kafka, killing its stream thread on every replay; now the text is cut and every other name is still answered.
 */
class LedgerPoisonIT extends GatewayITBase {

  @Test
  void hugeFailureText_isCutInTheLedger_andOtherNamesAreStillAnswered() throws Exception {
    String poisoned = "poison-" + UUID.randomUUID().toString().substring(0, 8);
    String buildId = http.post("/v1/templates/build", KEY, validBody(poisoned)).body().get("build_id").asString();

    failWithHugeError(poisoned, buildId);

    await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
      GatewayHttp.Reply template = http.get("/v1/templates/" + poisoned, KEY);
      assertThat(template.body().get("last_build_status").asString()).isEqualTo("failed");
      assertThat(template.body().get("last_build_error").asString()).hasSizeLessThanOrEqualTo(4096)
          .endsWith("[truncated]");
    });
    GatewayHttp.Reply next = http.post("/v1/templates/build", KEY,
        validBody("after-" + UUID.randomUUID().toString().substring(0, 8)));
    assertThat(next.status()).as(next.raw()).isEqualTo(202);
  }

  @Test
  void requestTooLargeToStore_isRefusedByTheLedger_andWritesNothing() {
    // Under the body limit (1 MiB) and every per-field limit, but ~975 KB serialized: over the ledger's 900 kB.
    String run = "{\"type\":\"RUN\",\"args\":[\"echo " + "x".repeat(65_000) + "\"]}";
    String name = "huge-" + UUID.randomUUID().toString().substring(0, 8);
    String body = "{\"name\":\"" + name + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,\"memory\":512,"
        + "\"diskGB\":2,\"steps\":[" + String.join(",", java.util.Collections.nCopies(15, run)) + "]}";

    GatewayHttp.Reply refused = http.post("/v1/templates/build", KEY, body);

    assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
    assertThat(refused.body().get("code").asString()).isEqualTo("INVALID_REQUEST");
    assertThat(refused.body().get("message").asString()).contains("too large to store");
    assertThat(http.get("/v1/templates/" + name, KEY).status()).isEqualTo(404);
    GatewayHttp.Reply next = http.post("/v1/templates/build", KEY,
        validBody("after-" + UUID.randomUUID().toString().substring(0, 8)));
    assertThat(next.status()).as(next.raw()).isEqualTo(202);
  }

  private static void failWithHugeError(String name, String buildId) throws Exception {
    Instant now = Instant.now();
    BuildStatusChanged failed = BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId)
        .setOrganizationId("org-a").setTemplateName(name).setAttempt(1).setWorkerId("w-test")
        .setStatus(BuildStatus.FAILED).setProgress(90).setErrorCode("ready_check_failed")
        .setErrorMessage("ready_check_failed: " + "e".repeat(900_000)).setStartedAt(now.minusSeconds(2))
        .setCompletedAt(now).setOccurredAt(now).build();
    Devstack.Endpoints stack = Devstack.shared();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, failed)).get();
    }
  }
}
