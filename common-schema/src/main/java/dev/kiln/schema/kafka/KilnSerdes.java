package dev.kiln.schema.kafka;

import dev.kiln.schema.BuildRequested;
import io.apicurio.registry.serde.Default4ByteIdHandler;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.avro.util.ClassSecurityValidator.ClassSecurityPredicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Serde settings for Kiln's events: Avro through Apicurio's serdes in the Confluent wire format (magic byte and a
 * 4-byte content id, no headers), so any Confluent-ecosystem consumer can read the topics through the registry's
 * ccompat API.
 */
public final class KilnSerdes {
  private KilnSerdes() {}

  /** Allows Avro to handle Kiln's generated classes; call before the first send or receive. */
  public static synchronized void allowKilnAvroClasses() {
    // Avro 1.12 refuses generated classes outside trusted packages. Its system property is read only once, when
    // the validator class loads, so extend the global predicate instead of relying on start-up order.
    ClassSecurityPredicate current = ClassSecurityValidator.getGlobal();
    if (current.isTrusted(BuildRequested.class)) {
      return;
    }
    ClassSecurityPredicate kiln = type -> type.getPackageName().equals(BuildRequested.class.getPackageName());
    ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(current, kiln));
  }

  /** Registry settings shared by serializer and deserializer; {@code registryUrl} is the server's base URL. */
  public static Map<String, Object> registry(String registryUrl) {
    allowKilnAvroClasses();
    Map<String, Object> config = new HashMap<>();
    config.put("apicurio.registry.url", registryUrl.replaceAll("/+$", "") + "/apis/registry/v3");
    config.put("apicurio.registry.headers.enabled", false);
    config.put("apicurio.registry.use-id", "contentId");
    config.put("apicurio.registry.id-handler", Default4ByteIdHandler.class.getName());
    // Inline named types: otherwise enums and nested records become subjects of their own.
    config.put("apicurio.registry.dereference-schema", true);
    return config;
  }

  /**
   * A durable producer: an accepted record is on every in-sync replica, written once, in order. {@code kafka} is
   * the connection ({@code bootstrap.servers} and the login, {@link KafkaLogin#clientProperties}).
   */
  public static Map<String, Object> producer(Map<String, ?> kafka, String registryUrl) {
    Map<String, Object> config = registry(registryUrl);
    config.putAll(kafka);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, AvroKafkaSerializer.class);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put("apicurio.registry.auto-register", true);
    return config;
  }

  /**
   * A consumer of Kiln's events as their generated classes, reading committed records only: the ledger writes
   * requests and templates in transactions, and a build's terminal status is written in one that a later attempt
   * may fence and abort.
   */
  public static Map<String, Object> consumer(Map<String, ?> kafka, String registryUrl) {
    Map<String, Object> config = registry(registryUrl);
    config.putAll(kafka);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, AvroKafkaDeserializer.class);
    config.put("apicurio.registry.use-specific-avro-reader", true);
    return config;
  }

  /**
   * A share-group consumer of Kiln's events. It takes no isolation level of its own (the client refuses one): the
   * group's {@code share.isolation.level} decides, which Kiln sets to {@code read_committed}.
   */
  public static Map<String, Object> shareConsumer(Map<String, ?> kafka, String registryUrl) {
    Map<String, Object> config = consumer(kafka, registryUrl);
    config.remove(ConsumerConfig.ISOLATION_LEVEL_CONFIG);
    return config;
  }
}
