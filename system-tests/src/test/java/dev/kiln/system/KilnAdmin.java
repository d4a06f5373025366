package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import tools.jackson.databind.json.JsonMapper;

/** {@code ops/kiln-admin} run against a gateway, as an operator runs it. */
final class KilnAdmin {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private KilnAdmin() {}

  /** Runs kiln-admin with {@code arguments}; returns what it printed, failing the test if it failed. */
  static String run(String gatewayUrl, String adminToken, String... arguments)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(Path.of("..", "ops", "kiln-admin").toString()));
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().put("KILN_URL", gatewayUrl);
    builder.environment().put("KILN_ADMIN_TOKEN", adminToken);
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes());
    assertThat(process.waitFor()).as("kiln-admin %s: %s", String.join(" ", arguments), output).isZero();
    return output;
  }

  /**
   * Creates an organization named {@code name} (its id made unique) with {@code quotas} (kiln-admin's quota
   * options) and issues it a key; returns the key.
   */
  static String keyOfNewOrganization(String gatewayUrl, String adminToken, String name, String... quotas)
      throws IOException, InterruptedException {
    String org = name + "-" + UUID.randomUUID().toString().substring(0, 6);
    List<String> create = new ArrayList<>(List.of("org", "create", org, "--name", name));
    create.addAll(List.of(quotas));
    run(gatewayUrl, adminToken, create.toArray(String[]::new));
    String issued = run(gatewayUrl, adminToken, "key", "issue", org, "--name", "ci");
    return JSON.readTree(issued).get("key").asString();
  }
}
