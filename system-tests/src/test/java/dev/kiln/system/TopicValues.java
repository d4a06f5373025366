package dev.kiln.system;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a whole topic of an installation as any downstream consumer would, committed records only. */
final class TopicValues {
  private TopicValues() {}

  /** Every ACTIVE or FAILED event on {@code statusTopic}, by build id, in topic order. */
  static Map<String, List<BuildStatusChanged>> terminalEvents(String statusTopic) {
    Map<String, List<BuildStatusChanged>> terminal = new HashMap<>();
    for (BuildStatusChanged event : of(statusTopic, BuildStatusChanged.class)) {
      if (event.getStatus() != BuildStatus.BUILDING) {
        terminal.computeIfAbsent(event.getBuildId(), id -> new ArrayList<>()).add(event);
      }
    }
    return terminal;
  }

  /** The values of {@code type} on the topic as of now, in order within each partition. */
  static <T> List<T> of(String topic, Class<T> type) {
    Devstack.Endpoints stack = Devstack.shared();
    Map<String, Object> config = KilnSerdes.consumer(stack.kafka(), stack.registryUrl());
    List<T> values = new ArrayList<>();
    try (KafkaConsumer<String, Object> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError(topic + " not read to its end within 60 s");
        }
        for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(200))) {
          if (type.isInstance(record.value())) {
            values.add(type.cast(record.value()));
          }
        }
      }
    }
    return values;
  }
}
