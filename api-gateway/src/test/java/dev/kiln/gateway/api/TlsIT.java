package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A gateway given a certificate speaks TLS on its port, and the links it hands out say https. */
class TlsIT extends GatewayITBase {
  private static final Path DIR = selfSignedCertificate();

  @DynamicPropertySource
  static void tls(DynamicPropertyRegistry registry) {
    registry.add("kiln.tls.certificate", () -> DIR.resolve("cert.pem").toString());
    registry.add("kiln.tls.private-key", () -> DIR.resolve("key.pem").toString());
    registry.add("kiln.ledger-state-dir", () -> DIR.resolve("ledger").toString());
  }

  @Override
  boolean ready() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(DIR.resolve("cert.pem"))).build();
    return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + port + "/readyz")).build(),
        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
  }

  @Test
  void theApiAnswersOverTls_andItsLinksSayHttps() throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(trusting(DIR.resolve("cert.pem"))).build();
    String base = "https://localhost:" + port;

    HttpResponse<String> health = client.send(HttpRequest.newBuilder(URI.create(base + "/health")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);

    HttpResponse<String> link = client.send(HttpRequest.newBuilder(URI.create(base + "/v1/templates/files/upload-link"))
        .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"files_hash\":\"" + "b".repeat(64) + "\",\"content_length\":10}"))
        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    JsonNode body = JsonMapper.builder().build().readTree(link.body());
    assertThat(body.get("upload_url").asString()).as(link.body()).startsWith("https://localhost:" + port + "/uploads/");
  }

  @Test
  void plainHttpOnTheTlsPort_isNotServed() {
    GatewayHttp.Reply plain;
    try {
      plain = http.get("/health", null);
    } catch (IllegalStateException refused) {
      return; // the connection was closed: nothing was served over plain HTTP
    }
    assertThat(plain.status()).isEqualTo(400);
  }

  private static SSLContext trusting(Path certificate) throws Exception {
    KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
    trust.load(null, null);
    try (InputStream in = Files.newInputStream(certificate)) {
      trust.setCertificateEntry("gateway", CertificateFactory.getInstance("X.509").generateCertificate(in));
    }
    TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(trust);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, factory.getTrustManagers(), null);
    return context;
  }

  /** A certificate for localhost and 127.0.0.1, made with the machine's openssl. */
  private static Path selfSignedCertificate() {
    try {
      Path dir = Files.createTempDirectory("kiln-tls-it");
      Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
          "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
          "-keyout", dir.resolve("key.pem").toString(), "-out", dir.resolve("cert.pem").toString())
          .redirectErrorStream(true).start();
      String output = new String(openssl.getInputStream().readAllBytes());
      if (openssl.waitFor() != 0) {
        throw new IllegalStateException("openssl failed: " + output);
      }
      return dir;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
