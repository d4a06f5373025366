package dev.kiln.devstack;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The SCRAM users of a stack's brokers and their passwords: the brokers' own, an operator's (both super users), and
 * one per Kiln service identity, whose rights are the ACLs Kiln grants them.
 */
public final class KafkaUsers {
  /** The brokers, between each other and to their controllers. */
  public static final String BROKER = "kiln-broker";
  /** Creates topics and ACLs: what a test or an operator does by hand. */
  public static final String OPERATOR = "kiln-operator";
  public static final String GATEWAY = "kiln-gateway";
  public static final String LEDGER = "kiln-ledger";
  public static final String WORKER = "kiln-worker";
  public static final String READER = "kiln-reader";
  public static final String MECHANISM = "SCRAM-SHA-512";
  private static final List<String> ALL = List.of(BROKER, OPERATOR, GATEWAY, LEDGER, WORKER, READER);

  private final Map<String, String> passwords;

  private KafkaUsers(Map<String, String> passwords) {
    this.passwords = passwords;
  }

  /** Fresh random passwords for every user. */
  public static KafkaUsers random() {
    SecureRandom random = new SecureRandom();
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String user : ALL) {
      byte[] secret = new byte[24];
      random.nextBytes(secret);
      passwords.put(user, HexFormat.of().formatHex(secret));
    }
    return new KafkaUsers(passwords);
  }

  /** The users kept in {@code file} (readable by this user only), made there on first use. */
  public static KafkaUsers keptIn(Path file) throws IOException {
    if (Files.exists(file)) {
      return read(file);
    }
    KafkaUsers users = random();
    Files.createDirectories(file.getParent());
    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try (Writer out = Files.newBufferedWriter(file)) {
      Properties properties = new Properties();
      properties.putAll(users.passwords);
      properties.store(out, "SCRAM users of this Kiln stack's brokers");
    }
    return users;
  }

  /** The users a {@link #keptIn} file holds. */
  public static KafkaUsers read(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      properties.load(in);
    }
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String user : ALL) {
      String password = properties.getProperty(user);
      if (password == null) {
        throw new IllegalStateException(file + " has no password for " + user);
      }
      passwords.put(user, password);
    }
    return new KafkaUsers(passwords);
  }

  public String password(String user) {
    String password = passwords.get(user);
    if (password == null) {
      throw new IllegalArgumentException("no Kafka user " + user + " in this stack");
    }
    return password;
  }

  /** The storage tool's {@code --add-scram} arguments: credentials in the cluster's metadata from its first start. */
  List<String> formatArguments() {
    return passwords.entrySet().stream()
        .flatMap(user -> java.util.stream.Stream.of("--add-scram",
            MECHANISM + "=[name=" + user.getKey() + ",password=" + user.getValue() + "]"))
        .toList();
  }

  /** A client's {@code bootstrap.servers} and SASL settings, signed in as {@code user}. */
  public Map<String, Object> clientProperties(String bootstrapServers, String user) {
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("bootstrap.servers", bootstrapServers);
    config.put("security.protocol", "SASL_PLAINTEXT");
    config.put("sasl.mechanism", MECHANISM);
    config.put("sasl.jaas.config", jaas("org.apache.kafka.common.security.scram.ScramLoginModule", user) + ";");
    return config;
  }

  /** A JAAS entry signing in as {@code user} (passwords are hex: nothing to quote). */
  String jaas(String module, String user) {
    return module + " required username=\"" + user + "\" password=\"" + password(user) + "\"";
  }

  @Override
  public String toString() {
    return "KafkaUsers" + passwords.keySet();
  }
}
