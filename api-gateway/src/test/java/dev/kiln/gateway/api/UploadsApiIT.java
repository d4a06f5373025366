package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.archive.TestArchives;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** COPY sources: signed upload links served by the gateway, archives checked before anything is stored. */
class UploadsApiIT extends GatewayITBase {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static String randomHash() throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(UUID.randomUUID().toString().getBytes()));
  }

  private JsonNode link(String key, String hash, long length) {
    GatewayHttp.Reply reply = http.post("/v1/templates/files/upload-link", key,
        "{\"files_hash\":\"" + hash + "\",\"content_length\":" + length + "}");
    assertThat(reply.status()).as(reply.raw()).isEqualTo(200);
    return reply.body();
  }

  private static HttpResponse<String> put(String url, byte[] body) throws Exception {
    return HTTP.send(HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/gzip")
        .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void upload_thenPresent_andUsableByCopy() throws Exception {
    String hash = randomHash();
    byte[] archive = new TestArchives().directory("app").file("app/main.py", "print('hi')").gzip();

    JsonNode link = link(KEY, "sha256:" + hash, archive.length);
    assertThat(GatewayApiIT.fieldNames(link)).containsExactly("present", "upload_url", "expires_at", "files_hash", "request_id");
    assertThat(link.get("present").asBoolean()).isFalse();
    HttpResponse<String> stored = put(link.get("upload_url").asString(), archive);

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    JsonNode answer = JsonMapper.builder().build().readTree(stored.body());
    assertThat(answer.get("sha256").asString())
        .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(archive)));
    JsonNode again = link(KEY, hash, archive.length);
    assertThat(GatewayApiIT.fieldNames(again)).containsExactly("present", "files_hash", "request_id");
    assertThat(again.get("present").asBoolean()).isTrue();
    assertThat(link(OTHER_KEY, hash, archive.length).get("present").asBoolean()).as("per organization").isFalse();

    String copy = GatewayApiIT.validBody("with-copy-" + hash.substring(0, 6)).replace("\"steps\":[",
        "\"steps\":[{\"type\":\"COPY\",\"args\":[\"app\",\"/srv/app\"],\"filesHash\":\"" + hash + "\"},");
    assertThat(http.post("/v1/templates/build", KEY, copy).status()).isEqualTo(202);
  }

  @Test
  void hostileArchive_isRefusedAndNothingStored() throws Exception {
    String hash = randomHash();
    byte[] archive = new TestArchives().file("app/../../etc/cron.d/evil", "* * * * * root sh").gzip();
    String url = link(KEY, hash, archive.length).get("upload_url").asString();

    HttpResponse<String> refused = put(url, archive);

    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("INVALID_REQUEST").contains("'..' is not allowed");
    assertThat(link(KEY, hash, archive.length).get("present").asBoolean()).isFalse();
  }

  @Test
  void tamperedOrForeignLink_isForbidden() throws Exception {
    String hash = randomHash();
    byte[] archive = new TestArchives().file("a.txt", "a").gzip();
    String url = link(KEY, hash, archive.length).get("upload_url").asString();

    assertThat(put(url.replaceAll("signature=[0-9a-f]{4}", "signature=0000"), archive).statusCode()).isEqualTo(403);
    assertThat(put(url.replace("/uploads/org-a/", "/uploads/org-b/"), archive).statusCode()).isEqualTo(403);
  }

  @Test
  void copyOfFilesNeverUploaded_is400NamingTheStep() throws Exception {
    String copy = GatewayApiIT.validBody("copy-missing").replace("\"steps\":[",
        "\"steps\":[{\"type\":\"COPY\",\"args\":[\"/app\"],\"filesHash\":\"" + randomHash() + "\"},");

    GatewayHttp.Reply reply = http.post("/v1/templates/build", KEY, copy);

    assertThat(reply.status()).isEqualTo(400);
    assertThat(reply.body().get("message").asString()).startsWith("steps[0]: COPY files").endsWith("were never uploaded");
  }
}
