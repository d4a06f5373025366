package dev.kiln.gateway.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalManagementPort;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A gateway with {@code KILN_MANAGEMENT_PORT} set: metrics move there, the probes stay on the main port too. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"management.server.port=0",
    "kiln.ledger-state-dir=" + GatewayITBase.LEDGER_STATE_DIR})
class ManagementPortIT {
  private static final String PREFIX = "gwmgmt" + UUID.randomUUID().toString().substring(0, 8);
  private static final String KEY = GatewayITBase.KEY;

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    GatewayITBase.gateway(registry, PREFIX);
  }

  @LocalServerPort
  int port;
  @LocalManagementPort
  int managementPort;
  GatewayHttp main;
  GatewayHttp management;

  @BeforeEach
  void clients() {
    main = new GatewayHttp(port);
    management = new GatewayHttp(managementPort);
  }

  @Test
  void prometheus_onTheManagementPort_isServedWithAKeyOnly() {
    assertThat(managementPort).isNotEqualTo(port);
    GatewayHttp.Reply withKey = management.get("/actuator/prometheus", KEY);
    GatewayHttp.Reply withoutKey = management.get("/actuator/prometheus", null);

    assertThat(withKey.status()).isEqualTo(200);
    assertThat(withKey.raw()).contains("application=\"kiln-api-gateway\"");
    assertThat(withoutKey.status()).isEqualTo(401);
    GatewayApiIT.assertErrorBody(withoutKey, "AUTHENTICATION_REQUIRED");
  }

  @Test
  void prometheus_onTheMainPort_isNotAnsweredWithoutAKey_andNotServedWithOne() {
    assertThat(main.get("/actuator/prometheus", null).status()).isEqualTo(401);
    assertThat(main.get("/actuator/prometheus", KEY).status()).isEqualTo(404);
  }

  @Test
  void livezAndReadyz_onTheMainPort_answerWithoutAKey() throws Exception {
    assertThat(main.get("/livez", null).status()).isEqualTo(200);
    assertThat(main.send("HEAD", "/livez", null, null).status()).isEqualTo(200);
    assertThat(awaitStatus(main, "/readyz", 200)).isEqualTo(200);
  }

  @Test
  void health_onTheManagementPort_answersWithoutAKey() throws Exception {
    assertThat(management.get("/actuator/health/liveness", null).status()).isEqualTo(200);
    assertThat(awaitStatus(management, "/actuator/health/readiness", 200)).isEqualTo(200);
  }

  /** Readiness waits for the projections to catch up on a fresh gateway. */
  private static int awaitStatus(GatewayHttp http, String path, int expected) throws InterruptedException {
    Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
    int status = http.get(path, null).status();
    while (status != expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      status = http.get(path, null).status();
    }
    return status;
  }
}
