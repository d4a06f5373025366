package dev.kiln.bench;

import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import dev.kiln.schema.kafka.KafkaLogin;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.IntFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes the history of many ended builds, as workers would have: per build a BUILDING and an ACTIVE status event and
 * one log chunk of three lines, spread over 20 organizations. Build requests are not written: a running worker would
 * claim each of them (and acknowledge it as ended), which is not what is measured. Usage: {@code History <builds>},
 * with the operator's Kafka login in the environment.
 */
public final class History {
  private History() {}

  public static void main(String[] args) throws Exception {
    int builds = Integer.parseInt(args[0]);
    Map<String, Object> kafka = KafkaLogin.scram(System.getenv("KILN_KAFKA_USERNAME"),
        System.getenv("KILN_KAFKA_PASSWORD")).clientProperties(System.getenv("KILN_KAFKA_BOOTSTRAP"));
    Map<String, Object> config = KilnSerdes.producer(kafka, System.getenv("KILN_SCHEMA_REGISTRY_URL"));
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    try (KafkaProducer<String, Object> producer = new KafkaProducer<>(config)) {
      write(producer, KilnTopics.withPrefix("kiln"), builds, Instant.now().minus(Duration.ofDays(7)),
          Duration.ofSeconds(5), i -> "org-" + (i % 20));
    }
    System.out.println("wrote the history of " + builds + " builds");
  }

  /**
   * Writes the history of {@code builds} ended builds, the first at {@code first} and each {@code step} after the
   * one before, the i-th of {@code organizationOf(i)}; returns their ids, oldest first. The system tests write the
   * same history to show memory bounded by it.
   */
  public static List<String> write(KafkaProducer<String, Object> producer, KilnTopics topics, int builds,
      Instant first, Duration step, IntFunction<String> organizationOf) {
    List<String> ids = new ArrayList<>(builds);
    for (int i = 0; i < builds; i++) {
      String buildId = UUID.randomUUID().toString();
      Instant at = first.plus(step.multipliedBy(i));
      BuildStatusChanged building = BuildStatusChanged.newBuilder().setBuildId(buildId).setTemplateId(buildId)
          .setOrganizationId(organizationOf.apply(i)).setTemplateName("history-" + i).setAttempt(1)
          .setWorkerId("history-worker").setStatus(BuildStatus.BUILDING).setProgress(0).setStartedAt(at)
          .setOccurredAt(at).build();
      BuildStatusChanged active = BuildStatusChanged.newBuilder(building).setStatus(BuildStatus.ACTIVE)
          .setProgress(100).setImageRef("127.0.0.1:5000/kiln/history-" + i + ":" + buildId)
          .setImageId("sha256:" + buildId.replace("-", "") + buildId.replace("-", "")).setLogChunks(1)
          .setCompletedAt(at.plusSeconds(3)).setOccurredAt(at.plusSeconds(3)).build();
      BuildLogChunk chunk = BuildLogChunk.newBuilder().setBuildId(buildId).setAttempt(1)
          .setWorkerId("history-worker").setStepIndex(0).setSeq(0)
          .setLines(List.of(line("Step 1/1 : CMD true", at), line("--- cached: no", at),
              line("Successfully built " + buildId, at.plusSeconds(3))))
          .setFirstLineAt(at).setLastLineAt(at.plusSeconds(3)).build();
      producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, building));
      producer.send(new ProducerRecord<>(topics.buildLogs(), buildId, chunk));
      producer.send(new ProducerRecord<>(topics.buildStatus(), buildId, active));
      ids.add(buildId);
    }
    producer.flush();
    return ids;
  }

  private static LogLine line(String message, Instant at) {
    return LogLine.newBuilder().setMessage(message).setLevel(LogLevel.INFO).setTimestamp(at).build();
  }
}
