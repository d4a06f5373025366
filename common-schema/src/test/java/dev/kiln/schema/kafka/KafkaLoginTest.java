package dev.kiln.schema.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaLoginTest {
  @Test
  void noUsername_isPlainBootstrapOnly() {
    assertThat(KafkaLogin.NONE.clientProperties("b:9092")).isEqualTo(Map.of("bootstrap.servers", "b:9092"));
  }

  @Test
  void scram_signsInOverSaslPlaintext_withTheSecretQuoted() {
    Map<String, Object> config = KafkaLogin.scram("kiln-worker", "p\"w\\d").clientProperties("b:9092");

    assertThat(config).containsEntry("security.protocol", "SASL_PLAINTEXT")
        .containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required"
            + " username=\"kiln-worker\" password=\"p\\\"w\\\\d\";");
  }

  @Test
  void aUsernameWithoutPassword_isRefused() {
    assertThatThrownBy(() -> KafkaLogin.scram("kiln-worker", "").clientProperties("b:9092"))
        .hasMessageContaining("kiln-worker has no password");
  }

  @Test
  void toString_neverShowsThePassword() {
    assertThat(KafkaLogin.scram("kiln-worker", "s3cret-value").toString()).contains("kiln-worker")
        .doesNotContain("s3cret-value");
  }
}
