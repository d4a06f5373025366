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
  void lag_countsTheRequestsTheGroupHasNotAcknowledged_overEverySizeClass() throws Exception {
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(topics.all().stream().map(TopicSpec::toNewTopic).toList()).all().get();
      // As the workers set their group up: requests written before its first member joined are still its own.
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, topics.workerShareGroup()),
          List.of(new AlterConfigOp(new ConfigEntry("share.auto.offset.reset", "earliest"),
              AlterConfigOp.OpType.SET)))).all().get();
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
        topics.workerShareGroup(), topics.buildRequestTopics(), Duration.ofSeconds(5));
        KafkaShareConsumer<String, String> worker = shareConsumer()) {
      worker.subscribe(topics.buildRequestTopics());
      List<ConsumerRecord<String, String>> held = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        worker.poll(Duration.ofMillis(200)).forEach(held::add);
        return !held.isEmpty();
      });
      // One request built and acknowledged; three not, one of them medium.
      worker.acknowledge(held.get(0), AcknowledgeType.ACCEPT);
      worker.commitSync();

      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        // A topic's share state begins with the group's first fetch from it, and the member may be given the
        // medium topic after the small one: it keeps fetching, as a slot does, and hands back what it gets.
        for (ConsumerRecord<String, String> again : worker.poll(Duration.ofMillis(200))) {
          worker.acknowledge(again, AcknowledgeType.RELEASE);
        }
        worker.commitSync();
        lag.refresh();
        assertThat(lag.lag()).isEqualTo(3.0);
      });
    }
  }

  @Test
  void lag_isNaNForAGroupWithoutState() {
    try (ShareGroupLag lag = new ShareGroupLag(Admin.create(stack.kafka()), "no-such-group-" + UUID.randomUUID(),
        topics.buildRequestTopics(), Duration.ofSeconds(5))) {
      lag.refresh();
      assertThat(lag.lag()).isNaN();
    }
  }

  private KafkaShareConsumer<String, String> shareConsumer() {
    Map<String, Object> config = stack.kafkaAs(KafkaUsers.WORKER);
    config.put("group.id", topics.workerShareGroup());
    config.put("share.acknowledgement.mode", "explicit");
    config.put("share.acquire.mode", "record_limit");
    config.put("max.poll.records", 1);
    return new KafkaShareConsumer<>(config, new StringDeserializer(), new StringDeserializer());
  }
}
