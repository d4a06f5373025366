package dev.kiln.schema.kafka;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * How a Kiln service signs in to Kafka: SASL (SCRAM-SHA-512 unless told otherwise) as its own identity, over
 * {@code SASL_PLAINTEXT} or {@code SASL_SSL}; with no username, unauthenticated plaintext.
 */
public record KafkaLogin(String username, String password, String securityProtocol, String saslMechanism) {
  public static final String DEFAULT_MECHANISM = "SCRAM-SHA-512";
  public static final KafkaLogin NONE = new KafkaLogin(null, null, null, null);

  /** SCRAM-SHA-512 over SASL_PLAINTEXT. */
  public static KafkaLogin scram(String username, String password) {
    return new KafkaLogin(username, password, null, null);
  }

  public boolean authenticated() {
    return username != null && !username.isBlank();
  }

  /** A client's connection settings: {@code bootstrap.servers} and, when signed in, the SASL settings. */
  public Map<String, Object> clientProperties(String bootstrapServers) {
    Map<String, Object> config = new HashMap<>();
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    if (!authenticated()) {
      return config;
    }
    if (password == null || password.isEmpty()) {
      throw new IllegalArgumentException("the Kafka user " + username + " has no password");
    }
    config.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, orDefault(securityProtocol, "SASL_PLAINTEXT"));
    String mechanism = orDefault(saslMechanism, DEFAULT_MECHANISM);
    config.put(SaslConfigs.SASL_MECHANISM, mechanism);
    String module = mechanism.startsWith("SCRAM-") ? "org.apache.kafka.common.security.scram.ScramLoginModule"
        : "org.apache.kafka.common.security.plain.PlainLoginModule";
    config.put(SaslConfigs.SASL_JAAS_CONFIG,
        module + " required username=\"" + quoted(username) + "\" password=\"" + quoted(password) + "\";");
    return config;
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }

  /** JAAS values are double-quoted strings: a quote or backslash in a secret must not end them early. */
  private static String quoted(String value) {
    return value.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Never the password: settings objects end up in logs and exception messages. */
  @Override
  public String toString() {
    return authenticated() ? "KafkaLogin[" + username + ", " + orDefault(saslMechanism, DEFAULT_MECHANISM) + "]"
        : "KafkaLogin[none]";
  }
}
