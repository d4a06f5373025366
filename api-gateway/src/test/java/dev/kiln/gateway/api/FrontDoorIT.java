package dev.kiln.gateway.api;

import static dev.kiln.gateway.api.GatewayApiIT.assertErrorBody;
import static dev.kiln.gateway.api.GatewayApiIT.validBody;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 9's findings, each as the hostile request that broke the front door: all now refused with a 4xx. */
class FrontDoorIT extends GatewayITBase {
  private static final HttpClient RAW = HttpClient.newHttpClient();

  /** Path parameters, dot segments and empty segments are refused by Spring Security's firewall before routing. */
  @ParameterizedTest
  @ValueSource(strings = {"/v1;a/templates/build", "/v1/templates;x=1/build", "/v1/./templates/build",
      "/v1//templates/build"})
  void protectedRoute_spelledOddly_isRejectedByTheFirewallWithAHopxBody(String path) {
    GatewayHttp.Reply reply = http.post(path, null, validBody("odd"));

    assertThat(reply.status()).as(path + " -> " + reply.raw()).isEqualTo(400);
    assertErrorBody(reply, "INVALID_REQUEST");
    assertThat(reply.requestIdHeader()).startsWith("req_");
    assertThat(reply.body().get("message").asString()).startsWith("request rejected: ");
  }

  /** Tomcat decodes {@code %76} to {@code v}: the router's path is a protected route, so a key is needed. */
  @Test
  void protectedRoute_percentEncoded_stillNeedsAKey() {
    GatewayHttp.Reply reply = http.post("/%761/templates/build", null, validBody("odd"));

    assertThat(reply.status()).as(reply.raw()).isEqualTo(401);
    assertErrorBody(reply, "AUTHENTICATION_REQUIRED");
  }

  @Test
  void unknownPath_withoutAKey_is401NotA404() {
    GatewayHttp.Reply withoutKey = http.get("/nowhere/at/all", null);
    GatewayHttp.Reply withKey = http.get("/nowhere/at/all", KEY);

    assertThat(withoutKey.status()).isEqualTo(401);
    assertErrorBody(withoutKey, "AUTHENTICATION_REQUIRED");
    assertThat(withKey.status()).isEqualTo(404);
  }

  @Test
  void wrongKey_is401InvalidToken_butPublicRoutesStayPublic() {
    GatewayHttp.Reply wrong = http.get("/v1/templates", "not-a-key");

    assertThat(wrong.status()).isEqualTo(401);
    assertErrorBody(wrong, "INVALID_TOKEN");
    assertThat(http.get("/health", "not-a-key").status()).isEqualTo(200);
    assertThat(http.get("/readyz", "not-a-key").status()).isEqualTo(200);
  }

  @Test
  void forwardedPrefix_fromAClient_isNotTrusted() throws Exception {
    HttpResponse<String> response = RAW.send(post("/v1/templates/build", validBody("prefixed"))
        .header("X-Forwarded-Prefix", "/x").build(), HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(401);
  }

  @Test
  void forwardedHost_fromAnUntrustedClient_doesNotChangeLinks() {
    String name = "fwd-" + UUID.randomUUID().toString().substring(0, 8);
    GatewayHttp.Reply reply = http.postWithHeader("/v1/templates/build", KEY, validBody(name), "X-Forwarded-Host",
        "evil.example");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(202);
    assertThat(reply.body().get("logs_url").asString()).doesNotContain("evil.example");
  }

  @Test
  void bodyOver1MiB_declared_is413BeforeItIsRead() {
    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, "{\"name\":\"" + "a".repeat(20 << 20) + "\"}");

    assertThat(reply.status()).isEqualTo(413);
    assertErrorBody(reply, "PAYLOAD_TOO_LARGE");
  }

  /** Authentication runs before the body limit: a caller without a key learns nothing about body sizes. */
  @Test
  void bodyOver1MiB_withoutAKey_is401() {
    GatewayHttp.Reply reply = http.post("/v1/templates/build", null, "{\"name\":\"" + "a".repeat(2 << 20) + "\"}");

    assertThat(reply.status()).isEqualTo(401);
    assertErrorBody(reply, "AUTHENTICATION_REQUIRED");
  }

  @Test
  void bodyOver1MiB_chunked_is413() throws Exception {
    byte[] body = ("{\"name\":\"" + "a".repeat(3 << 20) + "\"}").getBytes();
    HttpRequest request = HttpRequest.newBuilder(uri("/v1/templates/build"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body))).build();

    HttpResponse<String> response = RAW.send(request, HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
  }

  @Test
  void twentyThousandSteps_is400NamingTheLimit() {
    String steps = "{\"type\":\"RUN\",\"args\":[\"x\"]},".repeat(20_000);
    String body = validBody("many").replace("\"steps\":[", "\"steps\":[" + steps);

    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("message").asString()).contains("at most 200 steps");
  }

  @Test
  void hugeAgentVersion_is400() {
    String body = validBody("agent").replace("{\"name\"", "{\"agent_version\":\"" + "v".repeat(600_000) + "\",\"name\"");

    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, body);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("message").asString()).contains("agent_version must be at most 64");
  }

  @ParameterizedTest
  @ValueSource(strings = {"\"name\":\"a..b\"", "\"name\":\"a._b\"", "\"from_image\":\"Debian:bookworm\"",
      "\"from_image\":\"file:///etc/passwd\"", "\"from_image\":\"LONG\"",
      "\"startCmd\":\"s\",\"readyCmd\":{\"type\":\"port\",\"port\":8080,\"interval\":0}",
      "\"startCmd\":\"s\",\"readyCmd\":{\"type\":\"port\",\"port\":8080,\"interval\":-5}",
      "\"startCmd\":\"s\",\"readyCmd\":{\"type\":\"port\",\"port\":70000}",
      "\"startCmd\":\"s\",\"readyCmd\":{\"type\":\"port\"}",
      "\"readyCmd\":{\"type\":\"port\",\"port\":8080}"})
  void acceptedThenFailedLater_isNowRefusedUpFront(String field) {
    String fieldValue = field.replace("LONG", "a".repeat(5000));
    String key = fieldValue.substring(1, fieldValue.indexOf('"', 1));
    String body = validBody("later-" + UUID.randomUUID().toString().substring(0, 6));
    body = body.contains("\"" + key + "\"") ? body.replaceFirst("\"" + key + "\":\"[^\"]*\"", fieldValue)
        : body.replace("{\"name\"", "{" + fieldValue + ",\"name\"");

    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, body);

    assertThat(reply.status()).as(fieldValue.substring(0, Math.min(80, fieldValue.length())) + " -> " + reply.raw())
        .isEqualTo(400);
    assertErrorBody(reply, "INVALID_REQUEST");
  }

  @Test
  void lastEventIdOutOfRange_is400() {
    String name = "lei-" + UUID.randomUUID().toString().substring(0, 8);
    String buildId = http.post("/v1/templates/build", KEY, validBody(name)).body().get("build_id").asString();

    GatewayHttp.Reply reply = http.getWithHeaders("/v1/templates/build/" + buildId + "/logs", KEY,
        "Accept", "text/event-stream", "Last-Event-ID", "99999999999999999999");

    assertThat(reply.status()).as(reply.raw()).isEqualTo(400);
  }

  @Test
  void prometheus_needsAKey() {
    assertThat(http.get("/actuator/prometheus", null).status()).isEqualTo(401);
  }

  private HttpRequest.Builder post(String path, String body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(body));
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + port + path);
  }
}
