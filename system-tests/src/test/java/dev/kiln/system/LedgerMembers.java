package dev.kiln.system;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.kafka.KilnTopics;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.utils.Utils;

/** Which partitions of the template commands each member of the ledger's Streams group owns, as the broker says. */
final class LedgerMembers {
  private final KilnTopics topics;

  LedgerMembers(KilnTopics topics) {
    this.topics = topics;
  }

  /**
   * The command partitions each member owns, one set per member; empty while the group is rebalancing, since an
   * assignment that is being replaced says nothing about who will answer.
   */
  List<Set<Integer>> commandPartitions() throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(Devstack.shared().kafka())) {
      String group = topics.ledgerApplicationId();
      ConsumerGroupDescription description = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
      if (description.groupState() != GroupState.STABLE) {
        return List.of();
      }
      return description.members().stream().map(this::commandPartitions).toList();
    }
  }

  private Set<Integer> commandPartitions(MemberDescription member) {
    Set<Integer> partitions = new TreeSet<>();
    for (TopicPartition partition : member.assignment().topicPartitions()) {
      if (partition.topic().equals(topics.templateCommands())) {
        partitions.add(partition.partition());
      }
    }
    return partitions;
  }

  /** The command partition a key goes to: the producer's default partitioner over the key's UTF-8 bytes. */
  static int partitionOf(String key, int partitions) {
    return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
  }
}
