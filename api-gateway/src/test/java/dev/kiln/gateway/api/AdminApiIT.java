package dev.kiln.gateway.api;

import static dev.kiln.gateway.api.GatewayApiIT.assertErrorBody;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.AdminAction;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/** The admin API: an organization from zero, its keys issued, used, revoked and rotated, every change audited. */
class AdminApiIT extends GatewayITBase {

  @Test
  void onlyTheAdminTokenOpensTheAdminApi() {
    assertErrorBody(http.get("/admin/v1/organizations", null), "AUTHENTICATION_REQUIRED");
    assertErrorBody(http.get("/admin/v1/organizations", KEY), "INVALID_TOKEN");
    assertErrorBody(http.get("/admin/v1/organizations", "not-the-token"), "INVALID_TOKEN");
    assertThat(http.get("/admin/v1/organizations", ADMIN_TOKEN).status()).isEqualTo(200);
    assertErrorBody(http.get("/v1/templates", ADMIN_TOKEN), "INVALID_TOKEN");
  }

  @Test
  void anOrganizationFromZero_getsAKeyThatWorksUntilItIsRevoked() {
    String org = organization(null);
    GatewayHttp.Reply issued = http.post("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN, "{\"name\":\"ci\"}");
    assertThat(issued.status()).as(issued.raw()).isEqualTo(201);
    String secret = issued.body().get("key").asString();
    String keyId = issued.body().get("key_id").asString();
    assertThat(secret).startsWith("kiln_live_").hasSize("kiln_live_".length() + 43);
    assertThat(issued.body().get("prefix").asString()).isEqualTo(secret.substring(0, 16) + "…");

    assertThat(http.get("/v1/templates", secret).status()).isEqualTo(200);
    GatewayHttp.Reply listed = http.get("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN);
    assertThat(listed.raw()).contains(keyId).doesNotContain(secret);
    assertThat(listed.body().get("data").get(0).has("key")).isFalse();

    GatewayHttp.Reply revoked = http.post("/admin/v1/keys/" + keyId + "/revoke", ADMIN_TOKEN, "");
    assertThat(revoked.body().get("status").asString()).as(revoked.raw()).isEqualTo("revoked");
    assertErrorBody(http.get("/v1/templates", secret), "INVALID_TOKEN");
  }

  @Test
  void aRotatedKeyKeepsWorkingForItsGrace_thenOnlyTheNewOneDoes() {
    String org = organization(null);
    String old = http.post("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN, "").body().get("key").asString();
    String oldId = keyIdOf(org);

    GatewayHttp.Reply rotated = http.post("/admin/v1/keys/" + oldId + "/rotate", ADMIN_TOKEN, "{\"grace_seconds\":2}");
    assertThat(rotated.status()).as(rotated.raw()).isEqualTo(201);
    String successor = rotated.body().get("key").asString();
    assertThat(rotated.body().get("previous").get("status").asString()).isEqualTo("rotating");

    assertThat(http.get("/v1/templates", old).status()).isEqualTo(200);
    assertThat(http.get("/v1/templates", successor).status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(10)).until(() -> http.get("/v1/templates", old).status() == 401);
    assertThat(http.get("/v1/templates", successor).status()).isEqualTo(200);
  }

  @Test
  void anOrganizationsOwnQuotaReplacesTheDefault() {
    String org = organization("{\"requests_per_minute\":3}");
    String key = http.post("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN, "").body().get("key").asString();
    for (int i = 0; i < 3; i++) {
      GatewayHttp.Reply reply = http.get("/v1/templates", key);
      assertThat(reply.status()).isEqualTo(200);
      assertThat(reply.header("X-RateLimit-Limit")).isEqualTo("3");
    }
    GatewayHttp.Reply refused = http.get("/v1/templates", key);
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.body().get("error").asString()).isEqualTo("Rate limit exceeded: 3 requests per minute");

    GatewayHttp.Reply raised = http.send("PATCH", "/admin/v1/organizations/" + org, ADMIN_TOKEN,
        "{\"quotas\":{\"requests_per_minute\":100}}", "Content-Type", "application/json");
    assertThat(raised.status()).as(raised.raw()).isEqualTo(200);
    assertThat(http.get("/v1/templates", key).header("X-RateLimit-Limit")).isEqualTo("100");

    GatewayHttp.Reply other = http.send("PATCH", "/admin/v1/organizations/" + org, ADMIN_TOKEN,
        "{\"quotas\":{\"builds_per_hour\":7}}", "Content-Type", "application/json");
    assertThat(other.body().get("quotas").get("requests_per_minute").asInt()).as("kept").isEqualTo(100);
    assertThat(other.body().get("quotas").get("builds_per_hour").asInt()).isEqualTo(7);
  }

  @Test
  void badAdminInput_answers4xx_withHopxErrors() {
    String org = organization(null);
    assertErrorBody(http.post("/admin/v1/organizations", ADMIN_TOKEN, "{\"id\":\"" + org + "\"}"), "CONFLICT");
    assertErrorBody(http.post("/admin/v1/organizations", ADMIN_TOKEN, "{\"id\":\"Not_Valid\"}"), "INVALID_REQUEST");
    assertErrorBody(http.post("/admin/v1/organizations", ADMIN_TOKEN, "{\"id\":"), "INVALID_REQUEST");
    assertErrorBody(http.post("/admin/v1/organizations", ADMIN_TOKEN,
        "{\"id\":\"q-" + org + "\",\"quotas\":{\"builds_per_hour\":-1}}"), "INVALID_REQUEST");
    assertErrorBody(http.post("/admin/v1/organizations/no-such-org/keys", ADMIN_TOKEN, ""), "RESOURCE_NOT_FOUND");
    assertErrorBody(http.post("/admin/v1/keys/key_nope/revoke", ADMIN_TOKEN, ""), "RESOURCE_NOT_FOUND");
    http.post("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN, "");
    assertErrorBody(http.post("/admin/v1/keys/" + keyIdOf(org) + "/rotate", ADMIN_TOKEN,
        "{\"grace_seconds\":99999999}"), "INVALID_REQUEST");
  }

  @Test
  void everyChangeIsAudited_withWhoWhatAndWhen() {
    String org = organization(null);
    GatewayHttp.Reply issued = http.post("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN, "");
    String keyId = issued.body().get("key_id").asString();
    http.post("/admin/v1/keys/" + keyId + "/revoke", ADMIN_TOKEN, "");

    List<AdminAction> actions = auditOf(org);
    assertThat(actions).extracting(AdminAction::getAction)
        .containsExactly("organization.created", "key.issued", "key.revoked");
    assertThat(actions).allSatisfy(action -> {
      assertThat(action.getActor()).isEqualTo("admin-token");
      assertThat(action.getSourceAddress()).isEqualTo("127.0.0.1");
      assertThat(action.getOccurredAt()).isNotNull();
    });
    assertThat(actions.get(1).getTarget()).isEqualTo(keyId);
    assertThat(actions.get(1).getRequestId()).isEqualTo(issued.requestIdHeader());
  }

  private String organization(String quotas) {
    String id = "acme-" + UUID.randomUUID().toString().substring(0, 8);
    GatewayHttp.Reply created = http.post("/admin/v1/organizations", ADMIN_TOKEN,
        "{\"id\":\"" + id + "\",\"display_name\":\"Acme\"" + (quotas == null ? "" : ",\"quotas\":" + quotas) + "}");
    assertThat(created.status()).as(created.raw()).isEqualTo(201);
    return id;
  }

  private String keyIdOf(String org) {
    return http.get("/admin/v1/organizations/" + org + "/keys", ADMIN_TOKEN).body().get("data").get(0)
        .get("key_id").asString();
  }

  private static List<AdminAction> auditOf(String org) {
    Devstack.Endpoints stack = Devstack.shared();
    List<AdminAction> actions = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer =
             new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()))) {
      TopicPartition audit = new TopicPartition(PREFIX + ".audit", 0);
      consumer.assign(List.of(audit));
      consumer.seekToBeginning(List.of(audit));
      long end = consumer.endOffsets(List.of(audit)).get(audit);
      while (consumer.position(audit) < end) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(500))) {
          if (record.value() instanceof AdminAction action && action.getOrganizationId().equals(org)) {
            actions.add(action);
          }
        }
      }
    }
    return actions;
  }
}
