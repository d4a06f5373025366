package dev.kiln.bench;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Dispatch latency from the events' own timestamps: a request's accept time (set by the gateway) to the first
 * status event of its first attempt (written by the worker right after it claimed the request).
 */
final class ClaimTimes {
  private ClaimTimes() {}

  /** When each build was accepted and claimed, by the events' own timestamps. */
  record Times(Instant accepted, Instant claimed) {}

  /** The accept and claim times of each of {@code buildIds} found on the topics. */
  static Map<String, Times> times(Map<String, Object> kafka, String registryUrl, String prefix,
      Set<String> buildIds) {
    KilnTopics topics = KilnTopics.withPrefix(prefix);
    Map<String, Instant> accepted = new HashMap<>();
    Map<String, Instant> claimed = new HashMap<>();
    for (Object value : readAll(kafka, registryUrl, requestsAndStatus(topics))) {
      if (value instanceof BuildRequested request && buildIds.contains(request.getBuildId())) {
        accepted.put(request.getBuildId(), request.getRequestedAt());
      } else if (value instanceof BuildStatusChanged status && buildIds.contains(status.getBuildId())
          && status.getStatus() == BuildStatus.BUILDING && status.getAttempt() == 1) {
        claimed.merge(status.getBuildId(), status.getOccurredAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    Map<String, Times> times = new HashMap<>();
    accepted.forEach((id, at) -> {
      if (claimed.containsKey(id)) {
        times.put(id, new Times(at, claimed.get(id)));
      }
    });
    return times;
  }

  private static List<String> requestsAndStatus(KilnTopics topics) {
    List<String> read = new java.util.ArrayList<>(topics.buildRequestTopics());
    read.add(topics.buildStatus());
    return read;
  }

  static List<Object> readAll(Map<String, Object> kafka, String registryUrl, List<String> topicNames) {
    Map<String, Object> config = KilnSerdes.consumer(kafka, registryUrl);
    List<Object> values = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = topicNames.stream().flatMap(topic -> consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition()))).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }
}
