package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Organizations and keys administered with {@code ops/kiln-admin} through one gateway are known to every gateway
 * within seconds, revocation included, and no gateway logs a key; a gateway with no credential does not start.
 */
class IdentitySystemIT {
  static final String PREFIX = "identity" + UUID.randomUUID().toString().substring(0, 8);
  static final String ADMIN_TOKEN = "identity-admin-" + UUID.randomUUID();
  static final HttpClient HTTP = HttpClient.newHttpClient();
  static final JsonMapper JSON = JsonMapper.builder().build();

  @Test
  void aKeyIssuedOnOneGateway_worksOnBoth_andItsRevocationReachesBothWithinFiveSeconds() throws Exception {
    List<KilnService> gateways = startGateways(2);
    try {
      String first = gateways.get(0).baseUrl();
      String second = gateways.get(1).baseUrl();
      String org = "acme-" + UUID.randomUUID().toString().substring(0, 6);
      admin(first, "org", "create", org, "--name", "Acme Inc", "--requests-per-minute", "1000");
      JsonNode issued = JSON.readTree(admin(first, "key", "issue", org, "--name", "ci"));
      String secret = issued.get("key").asString();

      await().atMost(Duration.ofSeconds(5)).until(() -> status(first, secret) == 200 && status(second, secret) == 200);

      admin(second, "key", "revoke", issued.get("key_id").asString());
      long revokedAt = System.nanoTime();
      await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
          .until(() -> status(first, secret) == 401 && status(second, secret) == 401);
      System.out.printf("revocation reached both gateways in %d ms%n", (System.nanoTime() - revokedAt) / 1_000_000);

      for (KilnService gateway : gateways) {
        assertThat(Files.readString(gateway.logFile())).as(gateway.name() + "'s log").doesNotContain(secret)
            .doesNotContain(ADMIN_TOKEN);
      }
    } finally {
      gateways.forEach(KilnService::close);
    }
  }

  @Test
  void aGatewayWithoutAnyKeyOrAdminToken_refusesToStart_namingWhatToSet() throws Exception {
    String output = KilnService.gatewayRefusingToStart("keyless-gateway", PREFIX, Map.of(), Duration.ofSeconds(120));
    assertThat(output).contains("no API keys configured").contains("KILN_ADMIN_TOKEN")
        .contains("KILN_BOOTSTRAP_API_KEY");
  }

  private static List<KilnService> startGateways(int count) throws Exception {
    ExecutorService starts = Executors.newFixedThreadPool(count);
    try {
      List<Future<KilnService>> pending = new ArrayList<>();
      for (int i = 0; i < count; i++) {
        String name = "identity-gateway-" + i;
        pending.add(starts.submit(() -> KilnService.gateway(name, PREFIX, Map.of("KILN_ADMIN_TOKEN", ADMIN_TOKEN))));
      }
      List<KilnService> gateways = new ArrayList<>();
      for (Future<KilnService> gateway : pending) {
        gateways.add(gateway.get());
      }
      return gateways;
    } finally {
      starts.shutdown();
    }
  }

  private static String admin(String gatewayUrl, String... arguments) throws IOException, InterruptedException {
    return KilnAdmin.run(gatewayUrl, ADMIN_TOKEN, arguments);
  }

  private static int status(String gatewayUrl, String key) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(gatewayUrl + "/v1/templates"))
        .header("Authorization", "Bearer " + key).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode();
  }
}
