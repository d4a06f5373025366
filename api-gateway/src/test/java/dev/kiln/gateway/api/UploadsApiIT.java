package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.archive.BlobStore;
import dev.kiln.archive.TestArchives;
import dev.kiln.gateway.config.GatewayProperties;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** COPY sources: signed upload links served by the gateway, archives checked before anything is stored. */
class UploadsApiIT extends GatewayITBase {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @Autowired
  BlobStore blobs;
  @Autowired
  GatewayProperties properties;

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
  void upload_expiresOutOfRange_isRefusedNever5xx() throws Exception {
    byte[] archive = new TestArchives().file("a.txt", "a").gzip();
    String url = link(KEY, randomHash(), archive.length).get("upload_url").asString();

    HttpResponse<String> huge = put(url.replaceAll("expires=\\d+", "expires=9223372036854775807"), archive);
    HttpResponse<String> beyondLong = put(url.replaceAll("expires=\\d+", "expires=99999999999999999999"), archive);
    HttpResponse<String> badLength = put(url.replaceAll("length=\\d+", "length=-9223372036854775808"), archive);

    assertThat(huge.statusCode()).as(huge.body()).isEqualTo(403);
    assertThat(beyondLong.statusCode()).as(beyondLong.body()).isEqualTo(400);
    assertThat(badLength.statusCode()).as(badLength.body()).isEqualTo(403);
    assertThat(beyondLong.body()).contains("INVALID_REQUEST");
  }

  @Test
  void upload_replayedLink_sameBytes200OtherBytes409() throws Exception {
    String hash = randomHash();
    byte[] first = new TestArchives().file("a.txt", "a").gzip();
    byte[] other = otherOfSameLength(first);
    String url = link(KEY, hash, first.length).get("upload_url").asString();

    HttpResponse<String> stored = put(url, first);
    HttpResponse<String> again = put(url, first);
    HttpResponse<String> replaced = put(url, other);

    assertThat(stored.statusCode()).as(stored.body()).isEqualTo(200);
    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(withoutRequestId(again.body())).isEqualTo(withoutRequestId(stored.body()));
    assertThat(replaced.statusCode()).as(replaced.body()).isEqualTo(409);
    assertThat(replaced.body()).contains("CONFLICT");
  }

  @Test
  void upload_concurrentPutsOfOtherBytes_exactlyOneStoresTheWinnersBytes() throws Exception {
    byte[] first = new TestArchives().file("a.txt", "a").gzip();
    byte[] other = otherOfSameLength(first);
    String hash = randomHash();
    String url = link(KEY, hash, first.length).get("upload_url").asString();

    List<HttpResponse<String>> answers = concurrentPuts(url, first, other);

    List<Integer> statuses = answers.stream().map(HttpResponse::statusCode).toList();
    assertThat(statuses).as(answers.toString()).containsExactlyInAnyOrder(200, 409);
    byte[] winner = statuses.get(0) == 200 ? first : other;
    assertThat(storedBytes(hash)).isEqualTo(winner);
    assertThat(storedFiles(hash)).containsExactlyInAnyOrder(hash + ".tar.gz", hash + ".properties");
  }

  @Test
  void upload_concurrentPutsOfTheSameBytes_bothAnswer200AndOneBlobIsStored() throws Exception {
    byte[] archive = new TestArchives().file("a.txt", "same").gzip();
    String hash = randomHash();
    String url = link(KEY, hash, archive.length).get("upload_url").asString();

    List<HttpResponse<String>> answers = concurrentPuts(url, archive, archive);

    assertThat(answers.stream().map(HttpResponse::statusCode).toList()).as(answers.toString())
        .containsExactly(200, 200);
    assertThat(withoutRequestId(answers.get(0).body())).isEqualTo(withoutRequestId(answers.get(1).body()));
    assertThat(storedBytes(hash)).isEqualTo(archive);
    assertThat(storedFiles(hash)).containsExactlyInAnyOrder(hash + ".tar.gz", hash + ".properties");
  }

  /** Two PUTs of one link, released together, in the order given. */
  private static List<HttpResponse<String>> concurrentPuts(String url, byte[] a, byte[] b) throws Exception {
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<HttpResponse<String>>> puts = List.of(a, b).stream().map(body -> pool.submit(() -> {
        start.await();
        return put(url, body);
      })).toList();
      start.countDown();
      List<HttpResponse<String>> answers = new ArrayList<>();
      for (Future<HttpResponse<String>> put : puts) {
        answers.add(put.get(30, TimeUnit.SECONDS));
      }
      return answers;
    } finally {
      pool.shutdownNow();
    }
  }

  private byte[] storedBytes(String hash) throws Exception {
    try (InputStream in = blobs.open("org-a", hash)) {
      return in.readAllBytes();
    }
  }

  /** What the blob directory holds under the hash: one archive and its metadata, no second copy. */
  private List<String> storedFiles(String hash) throws Exception {
    try (Stream<Path> files = Files.list(Path.of(properties.blobDir(), "org-a"))) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.startsWith(hash)).toList();
    }
  }

  @Test
  void upload_bodyNotOfSignedLength_is400AndNothingStored() throws Exception {
    String hash = randomHash();
    byte[] archive = new TestArchives().file("a.txt", "a").gzip();
    String shortUrl = link(KEY, hash, archive.length + 1).get("upload_url").asString();
    String longUrl = link(KEY, hash, archive.length - 1).get("upload_url").asString();

    HttpResponse<String> tooShort = put(shortUrl, archive);
    HttpResponse<String> tooLong = put(longUrl, archive);

    assertThat(tooShort.statusCode()).as(tooShort.body()).isEqualTo(400);
    assertThat(tooShort.body()).contains("shorter than the signed content_length");
    assertThat(tooLong.statusCode()).as(tooLong.body()).isEqualTo(400);
    assertThat(tooLong.body()).contains("longer than the signed content_length");
    assertThat(link(KEY, hash, archive.length).get("present").asBoolean()).isFalse();
  }

  /** Other bytes that fit the same signed length: gzip sizes vary with content, so try a few contents. */
  private static byte[] otherOfSameLength(byte[] first) {
    for (char c = 'b'; c <= 'z'; c++) {
      byte[] other = new TestArchives().file("a.txt", String.valueOf(c)).gzip();
      if (other.length == first.length) {
        return other;
      }
    }
    throw new AssertionError("no other archive of " + first.length + " bytes");
  }

  private static String withoutRequestId(String body) {
    return body.replaceAll("\"request_id\":\"[^\"]*\"", "");
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
