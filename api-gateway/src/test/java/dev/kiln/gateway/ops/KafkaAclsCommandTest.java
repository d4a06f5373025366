package dev.kiln.gateway.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaAclsCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int run(Map<String, String> environment, String... args) {
    return KafkaAclsCommand.run(List.of(args), environment::get, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  @Test
  void print_givesKafkaAclsArguments_forThePrefixAndNamedIdentities() {
    int status = run(Map.of("KILN_TOPIC_PREFIX", "acme", "KILN_KAFKA_WORKER_USER", "builder"), "print");

    assertThat(status).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8).lines().toList())
        .contains("--add --allow-principal User:builder --operation Write --topic acme.build.status",
            "--add --allow-principal User:builder --operation Write --transactional-id acme.build-end."
                + " --resource-pattern-type prefixed",
            "--add --allow-principal User:builder --operation AlterConfigs --group acme.build-workers",
            "--add --allow-principal User:kiln-ledger --operation Write --topic acme.build.requests",
            "--add --allow-principal User:kiln-reader --operation Read --topic acme.build.logs")
        .noneMatch(line -> line.contains("User:kiln-worker"))
        .noneMatch(line -> line.contains("User:kiln-reader --operation Write"))
        .allMatch(line -> line.contains(" acme.") || line.contains(" acme-") || line.contains(" dlq.acme."));
  }

  @Test
  void unknownSubcommand_isRefusedWithUsage() {
    assertThat(run(Map.of(), "grant-everything")).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("usage: kafka-acls print|apply");
  }
}
