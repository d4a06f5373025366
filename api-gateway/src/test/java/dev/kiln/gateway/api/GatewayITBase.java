package dev.kiln.gateway.api;

import dev.kiln.devstack.Devstack;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** A gateway on a random port against the shared real broker and schema registry, with two organizations. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
abstract class GatewayITBase {
  static final String PREFIX = "gwapi" + UUID.randomUUID().toString().substring(0, 8);
  static final String KEY = "key-org-a";
  static final String OTHER_KEY = "key-org-b";

  @DynamicPropertySource
  static void kafka(DynamicPropertyRegistry registry) {
    Devstack.Endpoints stack = Devstack.shared();
    registry.add("kiln.kafka-bootstrap", stack::bootstrapServers);
    registry.add("kiln.schema-registry-url", stack::registryUrl);
    registry.add("kiln.topic-prefix", () -> PREFIX);
    registry.add("kiln.bootstrap-api-key", () -> KEY);
    registry.add("kiln.default-organization", () -> "org-a");
    registry.add("kiln.api-keys", () -> OTHER_KEY + ":org-b");
  }

  @LocalServerPort
  int port;
  GatewayHttp http;

  @BeforeEach
  void client() {
    http = new GatewayHttp(port);
  }

}
