package dev.kiln.schema.kafka;

import java.util.Map;
import org.apache.kafka.clients.admin.NewTopic;

/** A topic Kiln creates at start-up: its full name, partition count and topic configs. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {

  /** The topic to create, at the cluster's default replication factor. */
  public NewTopic toNewTopic() {
    return new NewTopic(name, java.util.Optional.of(partitions), java.util.Optional.empty()).configs(configs);
  }
}
