package dev.kiln.system;

import dev.kiln.devstack.Devstack;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/** Looks for a secret in the raw bytes of every topic of an installation and in files. */
final class TopicScan {
  private TopicScan() {}

  /** The topics (named with {@code prefix}, internal ledger topics included) whose keys or values contain it. */
  static List<String> topicsContaining(String prefix, String secret) throws Exception {
    byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
    Devstack.Endpoints stack = Devstack.shared();
    List<String> found = new ArrayList<>();
    List<String> topics;
    try (Admin admin = Admin.create(stack.kafka())) {
      topics = admin.listTopics().names().get().stream().filter(name -> name.startsWith(prefix)).toList();
    }
    Map<String, Object> config = stack.kafka();
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      for (String topic : topics) {
        if (contains(consumer, topic, needle)) {
          found.add(topic);
        }
      }
    }
    if (topics.size() < 8) {
      throw new AssertionError("expected Kiln's topics under " + prefix + ", found only " + topics);
    }
    return found;
  }

  static List<Path> filesContaining(Path directory, String secret) throws IOException {
    try (Stream<Path> files = Files.walk(directory)) {
      return files.filter(Files::isRegularFile).filter(file -> {
        try {
          return Files.readString(file, StandardCharsets.ISO_8859_1).contains(secret);
        } catch (IOException e) {
          return false;
        }
      }).toList();
    }
  }

  private static boolean contains(KafkaConsumer<byte[], byte[]> consumer, String topic, byte[] needle) {
    List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
        .map(info -> new TopicPartition(topic, info.partition())).toList();
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
        if (indexOf(record.value(), needle) >= 0 || indexOf(record.key(), needle) >= 0) {
          return true;
        }
      }
    }
    return false;
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    if (haystack == null) {
      return -1;
    }
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
