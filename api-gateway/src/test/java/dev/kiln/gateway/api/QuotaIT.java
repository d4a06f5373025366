package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** Quotas small enough to reach: 30 requests a minute and 2 builds an hour per organization. */
@TestPropertySource(inheritProperties = false, properties = {
    "kiln.ledger-state-dir=" + GatewayITBase.LEDGER_STATE_DIR + "-quota", "kiln.quotas.requests-per-minute=30",
    "kiln.quotas.builds-per-hour=2", "kiln.quotas.max-active-builds-per-org=0"})
class QuotaIT extends GatewayITBase {

  @Test
  void anOrganizationOverItsRequestLimitIsRefusedAndNobodyElseIs() {
    for (int i = 0; i < 40; i++) {
      GatewayHttp.Reply anonymous = http.get("/v1/templates", null);
      assertThat(anonymous.status()).isEqualTo(401);
      assertThat(anonymous.header("X-RateLimit-Limit")).as("no key, no budget spent").isNull();
      assertThat(http.get("/v1/templates", "not-a-key").status()).isEqualTo(401);
    }
    // Refused bodies answer at once: the 30 requests take far less than the 2 s in which one token comes back.
    for (int i = 0; i < 30; i++) {
      GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, "{}");
      assertThat(reply.status()).as("request %d: %s", i, reply.raw()).isEqualTo(400);
    }
    GatewayHttp.Reply refused = http.post("/v1/templates/build", KEY, "{}");

    assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
    assertThat(refused.requestIdHeader()).isEqualTo(refused.body().get("request_id").asText());
    assertThat(refused.body().propertyNames()).containsExactlyInAnyOrder("error", "code", "message", "request_id",
        "retry_after");
    assertThat(refused.body().get("error").asText()).isEqualTo("Rate limit exceeded: 30 requests per minute");
    assertThat(refused.body().get("retry_after").asLong()).isBetween(1L, 2L); // a token every 2 s
    assertThat(refused.retryAfter()).isEqualTo(refused.body().get("retry_after").asText());
    assertThat(refused.header("X-RateLimit-Remaining")).isEqualTo("0");
    GatewayHttp.Reply link = http.post("/v1/templates/files/upload-link", KEY,
        "{\"files_hash\":\"" + "a".repeat(64) + "\",\"content_length\":10}");
    assertThat(link.status()).as("upload links are issued from the same budget: %s", link.raw()).isEqualTo(429);

    GatewayHttp.Reply other = http.get("/v1/templates", OTHER_KEY);
    assertThat(other.status()).isEqualTo(200);
    assertThat(other.header("X-RateLimit-Limit")).isEqualTo("30");
    assertThat(other.header("X-RateLimit-Remaining")).isEqualTo("29");
  }

  @Test
  void buildsPerHourCountOnlyBuildsThatWereQueued() {
    String first = name();
    assertThat(http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(first)).status()).isEqualTo(202);
    GatewayHttp.Reply taken = http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(first));
    assertThat(taken.status()).as("name taken: %s", taken.raw()).isEqualTo(409);
    assertThat(http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(name())).status()).isEqualTo(202);

    GatewayHttp.Reply refused = http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(name()));

    assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
    assertThat(refused.body().get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
    assertThat(refused.body().get("error").asText()).isEqualTo("Rate limit exceeded: 2 builds per hour");
    assertThat(refused.body().get("retry_after").asLong()).isBetween(1_700L, 1_800L); // one build every 30 min
    assertThat(refused.retryAfter()).isEqualTo(refused.body().get("retry_after").asText());
  }

  private static String name() {
    return "rate-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
