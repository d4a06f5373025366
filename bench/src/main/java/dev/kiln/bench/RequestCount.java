package dev.kiln.bench;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.kafka.KafkaLogin;
import dev.kiln.schema.kafka.KilnTopics;
import java.util.List;
import java.util.Map;

/**
 * Counts the build requests on the request topics whose template names start with a prefix: the ingestion benchmark
 * checks that every 202 it counted is a request in Kafka. Usage: {@code RequestCount <name prefix>}, with the
 * operator's Kafka login in the environment.
 */
public final class RequestCount {
  private RequestCount() {}

  public static void main(String[] args) {
    Map<String, Object> kafka = KafkaLogin.scram(System.getenv("KILN_KAFKA_USERNAME"),
        System.getenv("KILN_KAFKA_PASSWORD")).clientProperties(System.getenv("KILN_KAFKA_BOOTSTRAP"));
    List<String> topics = KilnTopics.withPrefix("kiln").buildRequestTopics();
    long count = ClaimTimes.readAll(kafka, System.getenv("KILN_SCHEMA_REGISTRY_URL"), topics).stream()
        .filter(value -> value instanceof BuildRequested request && request.getTemplateName().startsWith(args[0]))
        .count();
    System.out.println(count);
  }
}
