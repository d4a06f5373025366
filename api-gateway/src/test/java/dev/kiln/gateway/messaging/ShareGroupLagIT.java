package dev.kiln.gateway.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.KafkaUsers;
import dev.kiln.schema.kafka.KilnAcls;
import dev.kiln.schema.kafka.KilnPrincipals;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.schema.kafka.TopicSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The share group's lag as the gateway reads it, with the gateway's own Kafka identity and ACLs, on the real broker:
 * requests the group has not acknowledged, whether queued or held by a worker.
 */
class ShareGroupLagIT {
  private final Devstack.Endpoints stack = Devstack.shared();
  private final KilnTopics topics = KilnTopics.withPrefix("lag" + UUID.randomUUID().toString().substring(0, 8));

  @Test
  void lag_countsTheRequestsTheGroupsHaveNotAcknowledged_overEverySizeClass() throws Exception {
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(topics.all().stream().map(TopicSpec::toNewTopic).toList()).all().get();
      // As the workers set their groups up: requests written before a group's first member joined are its own.
      for (SizeClass pool : List.of(SizeClass.SMALL, SizeClass.MEDIUM)) {
        admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP,
            topics.workerShareGroup(pool)), List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset",
            "earliest"), AlterConfigOp.OpType.SET)))).all().get();
      }
    }
    KilnAcls.grant(stack.kafka(), topics, KilnPrincipals.DEFAULT);
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(stack.kafka(), new StringSerializer(),
        new StringSerializer())) {
      for (int i = 0; i < 3; i++) {
        producer.send(new ProducerRecord<>(topics.buildRequests(SizeClass.SMALL), "build-" + i, "request")).get();
      }
      producer.send(new ProducerRecord<>(topics.buildRequests(SizeClass.MEDIUM), "build-3", "request")).get();
    }
    try (ShareGroupLag lag = new ShareGroupLag(Admin.create(stack.kafkaAs(KafkaUsers.GATEWAY)),
        topics.workerShareGroups(), topics.buildRequestTopics(), Duration.ofSeconds(5));
        KafkaShareConsumer<String, String> small = shareConsumer(SizeClass.SMALL);
        KafkaShareConsumer<String, String> medium = shareConsumer(SizeClass.MEDIUM)) {
      // One small request built and acknowledged; two small ones queued; the medium one handed back by its pool's
      // worker (a partition's lag is known once its group has acknowledged something there).
      small.acknowledge(firstRecord(small), AcknowledgeType.ACCEPT);
      small.commitSync();
      medium.acknowledge(firstRecord(medium), AcknowledgeType.RELEASE);
      medium.commitSync();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        lag.refresh();
        assertThat(lag.lag()).isEqualTo(3.0);
      });
    }
  }

  @Test
  void lag_isNaNForAGroupWithoutState() {
    try (ShareGroupLag lag = new ShareGroupLag(Admin.create(stack.kafka()), List.of("no-such-group-"
        + UUID.randomUUID()), topics.buildRequestTopics(), Duration.ofSeconds(5))) {
      lag.refresh();
      assertThat(lag.lag()).isNaN();
    }
  }

  private static ConsumerRecord<String, String> firstRecord(KafkaShareConsumer<String, String> consumer) {
    List<ConsumerRecord<String, String>> held = new ArrayList<>();
    await().atMost(Duration.ofSeconds(30)).until(() -> {
      consumer.poll(Duration.ofMillis(200)).forEach(held::add);
      return !held.isEmpty();
    });
    return held.get(0);
  }

  /** A worker's slot of the pool's share group, on the pool's topic. */
  private KafkaShareConsumer<String, String> shareConsumer(SizeClass pool) {
    Map<String, Object> config = stack.kafkaAs(KafkaUsers.WORKER);
    config.put("group.id", topics.workerShareGroup(pool));
    config.put("share.acknowledgement.mode", "explicit");
    config.put("share.acquire.mode", "record_limit");
    config.put("max.poll.records", 1);
    KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config, new StringDeserializer(),
        new StringDeserializer());
    consumer.subscribe(List.of(topics.buildRequests(pool)));
    return consumer;
  }
}
