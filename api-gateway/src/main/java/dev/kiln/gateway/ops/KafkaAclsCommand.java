package dev.kiln.gateway.ops;

import dev.kiln.schema.kafka.KafkaLogin;
import dev.kiln.schema.kafka.KilnAcls;
import dev.kiln.schema.kafka.KilnPrincipals;
import dev.kiln.schema.kafka.KilnTopics;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.resource.PatternType;

/**
 * {@code java -jar api-gateway.jar kafka-acls print|apply}: the Kafka ACLs of an installation, printed as
 * {@code kafka-acls.sh} arguments for whoever keeps ACLs elsewhere, or created, signed in as an operator
 * ({@code KILN_KAFKA_USERNAME} and {@code KILN_KAFKA_PASSWORD} of a user allowed to alter ACLs).
 */
public final class KafkaAclsCommand {
  static final String USAGE = "usage: kafka-acls print|apply   (KILN_TOPIC_PREFIX, KILN_KAFKA_BOOTSTRAP,"
      + " KILN_KAFKA_USERNAME/PASSWORD for apply; KILN_KAFKA_{GATEWAY,LEDGER,WORKER,READER}_USER name the"
      + " identities, default kiln-gateway, kiln-ledger, kiln-worker, kiln-reader)";

  private KafkaAclsCommand() {}

  /** Runs the command with settings from {@code environment}; returns the process's exit status. */
  public static int run(List<String> args, Function<String, String> environment, PrintStream out, PrintStream err) {
    if (args.size() != 1 || !List.of("print", "apply").contains(args.get(0))) {
      err.println(USAGE);
      return 2;
    }
    KilnTopics topics = KilnTopics.withPrefix(environment.apply("KILN_TOPIC_PREFIX"));
    KilnPrincipals principals = principals(environment);
    if (args.get(0).equals("print")) {
      KilnAcls.bindings(topics, principals).forEach(binding -> out.println(asArguments(binding)));
      return 0;
    }
    KafkaLogin operator = new KafkaLogin(environment.apply("KILN_KAFKA_USERNAME"),
        environment.apply("KILN_KAFKA_PASSWORD"), environment.apply("KILN_KAFKA_SECURITY_PROTOCOL"),
        environment.apply("KILN_KAFKA_SASL_MECHANISM"));
    Map<String, Object> connection =
        operator.clientProperties(orDefault(environment.apply("KILN_KAFKA_BOOTSTRAP"), "127.0.0.1:9092"));
    KilnAcls.grant(connection, topics, principals);
    out.println("created " + KilnAcls.bindings(topics, principals).size() + " ACLs for " + principals
        + " on the topics of prefix " + topics.prefix());
    return 0;
  }

  /** One binding as {@code kafka-acls.sh --add} arguments. */
  static String asArguments(AclBinding binding) {
    var pattern = binding.pattern();
    var entry = binding.entry();
    String resource = switch (pattern.resourceType()) {
      case TOPIC -> "--topic";
      case GROUP -> "--group";
      case TRANSACTIONAL_ID -> "--transactional-id";
      default -> throw new IllegalArgumentException("no kafka-acls.sh flag for " + pattern.resourceType());
    };
    return "--add --allow-principal " + entry.principal() + " --operation " + operationName(entry.operation().name())
        + " " + resource + " " + pattern.name()
        + (pattern.patternType() == PatternType.PREFIXED ? " --resource-pattern-type prefixed" : "");
  }

  /** kafka-acls.sh spells operations in camel case: ALTER_CONFIGS is AlterConfigs. */
  private static String operationName(String constant) {
    StringBuilder name = new StringBuilder();
    for (String word : constant.toLowerCase(Locale.ROOT).split("_")) {
      name.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
    }
    return name.toString();
  }

  private static KilnPrincipals principals(Function<String, String> environment) {
    KilnPrincipals defaults = KilnPrincipals.DEFAULT;
    return new KilnPrincipals(orDefault(environment.apply("KILN_KAFKA_GATEWAY_USER"), defaults.gateway()),
        orDefault(environment.apply("KILN_KAFKA_LEDGER_USER"), defaults.ledger()),
        orDefault(environment.apply("KILN_KAFKA_WORKER_USER"), defaults.worker()),
        orDefault(environment.apply("KILN_KAFKA_READER_USER"), defaults.reader()));
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
