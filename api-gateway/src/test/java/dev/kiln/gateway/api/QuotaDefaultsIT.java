package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The quotas as shipped: 600 requests a minute with a tenth kept for writes, 10 active builds per organization. */
@TestPropertySource(inheritProperties = false,
    properties = "kiln.ledger-state-dir=" + GatewayITBase.LEDGER_STATE_DIR + "-quota-defaults")
class QuotaDefaultsIT extends GatewayITBase {

  @Test
  void everyAnswerOfAnOrganizationReportsItsStandingAgainstTheDefaultLimit() {
    long now = Instant.now().getEpochSecond();
    for (GatewayHttp.Reply reply : new GatewayHttp.Reply[] {http.get("/v1/templates", KEY),
        http.get("/v1/templates/no-such-template", KEY), http.post("/v1/templates/build", KEY, "{")}) {
      assertThat(reply.header("X-RateLimit-Limit")).as(reply.raw()).isEqualTo("600");
      assertThat(Long.parseLong(reply.header("X-RateLimit-Remaining"))).isBetween(0L, 599L);
      assertThat(Long.parseLong(reply.header("X-RateLimit-Reset"))).isBetween(now, now + 61);
    }
  }

  @Test
  void pollingIsRefusedBeforeItSpendsTheBudgetABuildNeeds() throws Exception {
    GatewayHttp.Reply refused = null;
    int taken = 0;
    // Eight clients at once, so the budget is spent far faster than its 10 tokens a second come back.
    ExecutorService clients = Executors.newFixedThreadPool(8);
    try {
      while (refused == null && taken < 5_000) {
        List<Future<GatewayHttp.Reply>> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
          batch.add(clients.submit(() -> http.get("/v1/templates", OTHER_KEY)));
        }
        for (Future<GatewayHttp.Reply> pending : batch) {
          GatewayHttp.Reply reply = pending.get();
          if (reply.status() == 429) {
            refused = reply;
          } else {
            assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
            taken++;
          }
        }
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(refused).as("reads were never refused").isNotNull();
    assertThat(taken).isGreaterThanOrEqualTo(540);
    assertThat(refused.body().get("code").asText()).isEqualTo("RATE_LIMIT_EXCEEDED");
    assertThat(refused.body().get("error").asText()).isEqualTo("Rate limit exceeded: 600 requests per minute");
    assertThat(refused.body().get("retry_after").asLong()).isPositive();
    assertThat(refused.retryAfter()).isEqualTo(refused.body().get("retry_after").asText());
    assertThat(refused.header("X-RateLimit-Remaining")).as("nothing left for reads").isEqualTo("0");

    GatewayHttp.Reply build = http.post("/v1/templates/build", OTHER_KEY, GatewayApiIT.validBody(name()));
    assertThat(build.status()).as(build.raw()).isEqualTo(202);
  }

  @Test
  void anOrganizationHoldsAtMostTenBuildsQueuedOrRunning() {
    for (int i = 0; i < 10; i++) {
      GatewayHttp.Reply accepted = http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(name()));
      assertThat(accepted.status()).as("build %d: %s", i, accepted.raw()).isEqualTo(202);
    }
    GatewayHttp.Reply refused = http.post("/v1/templates/build", QUOTA_KEY, GatewayApiIT.validBody(name()));

    assertThat(refused.status()).as(refused.raw()).isEqualTo(429);
    assertThat(refused.body().get("error").asText())
        .isEqualTo("Rate limit exceeded: 10 active builds (running or queued) per organization");
    assertThat(refused.retryAfter()).isNotNull();
    GatewayHttp.Reply otherOrganization = http.post("/v1/templates/build", KEY, GatewayApiIT.validBody(name()));
    assertThat(otherOrganization.status()).as(otherOrganization.raw()).isEqualTo(202);
  }

  private static String name() {
    return "quota-" + UUID.randomUUID().toString().substring(0, 8);
  }
}
