package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Templates through the ledger: names, updates and deletes decided by one writer per name. */
class TemplatesApiIT extends GatewayITBase {

  private String body(String name, boolean update) {
    return GatewayApiIT.validBody(name).replaceFirst("\\}$", ",\"update\":" + update + "}");
  }

  @Test
  void templateLifecycle_createConflictUpdateDelete() throws Exception {
    GatewayHttp.Reply created = http.post("/v1/templates/build", KEY, body("lifecycle", false));
    assertThat(created.status()).as(created.raw()).isEqualTo(202);
    String templateId = created.body().get("template_id").asString();

    GatewayHttp.Reply again = http.post("/v1/templates/build", KEY, body("lifecycle", false));
    assertThat(again.status()).isEqualTo(409);
    GatewayApiIT.assertErrorBody(again, "CONFLICT");
    assertThat(again.body().get("message").asString()).isEqualTo("Template already exists. Set update=true to update it.");

    JsonNode building = http.getWithApiKeyHeader("/v1/templates/" + templateId, KEY).body();
    assertThat(building.get("status").asString()).isEqualTo("building");
    assertThat(building.get("is_active").asBoolean()).isFalse();
    assertThat(http.post("/v1/templates/build", KEY, body("lifecycle", true)).status()).as("update while building").isEqualTo(409);
    assertThat(http.delete("/v1/templates/" + templateId, KEY).status()).as("delete while building").isEqualTo(409);

    workerReports(templateId, templateId, BuildStatus.ACTIVE);
    JsonNode active = awaitTemplate("lifecycle", t -> t.get("is_active").asBoolean());
    assertThat(active.get("status").asString()).isEqualTo("active");
    assertThat(active.get("id").asString()).isEqualTo(templateId);
    assertThat(active.get("runtime_config").get("env").get("A").asString()).isEqualTo("1");
    assertThat(active.get("runtime_config").get("workdir").asString()).isEqualTo("/app");

    GatewayHttp.Reply update = http.post("/v1/templates/build", KEY, body("lifecycle", true));
    assertThat(update.status()).as(update.raw()).isEqualTo(202);
    assertThat(update.body().get("template_id").asString()).isEqualTo(templateId);
    String updateBuild = update.body().get("build_id").asString();
    assertThat(updateBuild).isNotEqualTo(templateId);
    workerReports(updateBuild, templateId, BuildStatus.FAILED);
    JsonNode afterFailedUpdate = awaitTemplate("lifecycle", t -> !t.get("last_build_error").isNull());
    assertThat(afterFailedUpdate.get("status").asString()).isEqualTo("active");
    assertThat(afterFailedUpdate.get("is_active").asBoolean()).isTrue();

    GatewayHttp.Reply deleted = http.delete("/v1/templates/" + templateId, KEY);
    assertThat(deleted.status()).as(deleted.raw()).isEqualTo(200);
    assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
    awaitGone(templateId);
    assertThat(http.post("/v1/templates/build", KEY, body("lifecycle", false)).status()).as("name free again").isEqualTo(202);
  }

  @Test
  void update_ofUnknownTemplate_is404() {
    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, body("never-created", true));

    assertThat(reply.status()).isEqualTo(404);
    GatewayApiIT.assertErrorBody(reply, "RESOURCE_NOT_FOUND");
  }

  @Test
  void concurrentCreatesOfOneName_exactlyOneWins() {
    List<CompletableFuture<Integer>> creates = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      creates.add(CompletableFuture.supplyAsync(() -> http.post("/v1/templates/build", KEY, body("contested", false)).status()));
    }

    List<Integer> statuses = creates.stream().map(CompletableFuture::join).toList();

    assertThat(statuses).filteredOn(s -> s == 202).hasSize(1);
    assertThat(statuses).filteredOn(s -> s == 409).hasSize(7);
  }

  @Test
  void templates_areScopedToTheirOrganization() throws Exception {
    String templateId = http.post("/v1/templates/build", KEY, body("org-a-only", false)).body().get("template_id").asString();

    assertThat(http.get("/v1/templates/" + templateId, OTHER_KEY).status()).isEqualTo(404);
    assertThat(http.delete("/v1/templates/" + templateId, OTHER_KEY).status()).isEqualTo(404);
    JsonNode otherList = http.get("/v1/templates", OTHER_KEY).body();
    assertThat(otherList.get("object").asString()).isEqualTo("list");
    assertThat(otherList.get("data").isArray()).isTrue();
    assertThat(otherList.get("data").toString()).doesNotContain(templateId);
    JsonNode ownList = http.get("/v1/templates", KEY).body();
    assertThat(ownList.get("data").toString()).contains(templateId);
    assertThat(http.post("/v1/templates/build", OTHER_KEY, body("org-a-only", false)).status())
        .as("names are per organization").isEqualTo(202);
  }

  private JsonNode awaitTemplate(String name, java.util.function.Predicate<JsonNode> condition) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      GatewayHttp.Reply reply = http.get("/v1/templates/" + name, KEY);
      if (reply.status() == 200 && condition.test(reply.body())) {
        return reply.body();
      }
      Thread.sleep(100);
    }
    throw new AssertionError("template " + name + " never reached the expected state");
  }

  private void awaitGone(String templateId) throws InterruptedException {
    for (int i = 0; i < 100 && http.get("/v1/templates/" + templateId, KEY).status() != 404; i++) {
      Thread.sleep(100);
    }
    assertThat(http.get("/v1/templates/" + templateId, KEY).status()).isEqualTo(404);
  }

  /** Writes a terminal status as a worker would. */
  private static void workerReports(String buildId, String templateId, BuildStatus status) throws Exception {
    Devstack.Endpoints stack = Devstack.shared();
    Instant now = Instant.now();
    BuildStatusChanged event = BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(templateId)
        .setOrganizationId("org-a").setTemplateName("lifecycle").setAttempt(1).setWorkerId("w-test")
        .setStatus(status).setProgress(100).setStartedAt(now).setCompletedAt(now).setOccurredAt(now)
        .setImageRef(status == BuildStatus.ACTIVE ? "kiln/org-a/lifecycle:" + buildId : null)
        .setErrorMessage(status == BuildStatus.FAILED ? "step_failed: step 1/5 RUN exited with code 1" : null)
        .setLogChunks(0).build();
    try (KafkaProducer<String, SpecificRecord> producer =
             new KafkaProducer<>(KilnSerdes.producer(stack.kafka(), stack.registryUrl()))) {
      producer.send(new ProducerRecord<>(PREFIX + ".build.status", buildId, event)).get();
    }
  }
}
