package dev.kiln.schema.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.KafkaUsers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kiln's ACLs on the real broker, which authenticates every client with SCRAM and authorizes it: each identity
 * may do its part and is refused the rest.
 */
class KilnAclsIT {
  private static final KilnTopics TOPICS = KilnTopics.withPrefix("acl" + UUID.randomUUID().toString().substring(0, 8));
  private static Devstack.Endpoints stack;

  @BeforeAll
  static void topicsAndAcls() throws Exception {
    stack = Devstack.shared();
    try (Admin admin = Admin.create(stack.kafka())) {
      admin.createTopics(TOPICS.all().stream().map(TopicSpec::toNewTopic).toList()).all().get();
    }
    KilnAcls.grant(stack.kafka(), TOPICS, KilnPrincipals.DEFAULT);
  }

  @Test
  void workerCredential_isRefusedWritingATemplateCommand() {
    assertThatThrownBy(() -> write(KafkaUsers.WORKER, TOPICS.templateCommands()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void workerCredential_isRefusedWritingRequestsTemplatesAndIdentities() {
    for (String topic : List.of(TOPICS.buildRequests(SizeClass.SMALL), TOPICS.templates(), TOPICS.apiKeys(), TOPICS.audit())) {
      assertThatThrownBy(() -> write(KafkaUsers.WORKER, topic)).as(topic)
          .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    }
  }

  @Test
  void readerCredential_isRefusedWritingAnything() {
    for (TopicSpec topic : TOPICS.all()) {
      assertThatThrownBy(() -> write(KafkaUsers.READER, topic.name())).as(topic.name())
          .hasRootCauseInstanceOf(AuthorizationException.class);
    }
  }

  @Test
  void workerStatus_isReadByTheReader_whoCannotReadRequests() throws Exception {
    byte[] value = ("status-" + UUID.randomUUID()).getBytes(StandardCharsets.UTF_8);
    write(KafkaUsers.WORKER, TOPICS.buildStatus(), value);

    assertThat(readAll(KafkaUsers.READER, TOPICS.buildStatus())).anySatisfy(read -> assertThat(read).isEqualTo(value));
    assertThatThrownBy(() -> readAll(KafkaUsers.READER, TOPICS.buildRequests(SizeClass.SMALL)))
        .isInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void onlyTheLedgerWritesBuildRequests_andOnlyWorkersWriteStatus() throws Exception {
    write(KafkaUsers.LEDGER, TOPICS.buildRequests(SizeClass.SMALL));
    write(KafkaUsers.GATEWAY, TOPICS.templateCommands());

    assertThatThrownBy(() -> write(KafkaUsers.GATEWAY, TOPICS.buildRequests(SizeClass.SMALL)))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> write(KafkaUsers.GATEWAY, TOPICS.buildStatus()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
    assertThatThrownBy(() -> write(KafkaUsers.LEDGER, TOPICS.buildStatus()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
  }

  @Test
  void anotherInstallationsTopics_areNotGranted() {
    KilnTopics other = KilnTopics.withPrefix("other" + UUID.randomUUID().toString().substring(0, 8));
    assertThat(KilnAcls.bindings(TOPICS, KilnPrincipals.DEFAULT))
        .noneMatch(binding -> binding.pattern().name().startsWith(other.prefix()));
    assertThatThrownBy(() -> write(KafkaUsers.WORKER, other.buildStatus()))
        .hasRootCauseInstanceOf(TopicAuthorizationException.class);
  }

  private static void write(String user, String topic) throws Exception {
    write(user, topic, "x".getBytes(StandardCharsets.UTF_8));
  }

  /** One record, signed in as {@code user}; a fresh producer each time, as a refusal leaves one unusable. */
  private static void write(String user, String topic, byte[] value) throws Exception {
    Map<String, Object> config = stack.kafkaAs(user);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(config)) {
      producer.send(new ProducerRecord<>(topic, "key".getBytes(StandardCharsets.UTF_8), value))
          .get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw e;
    } catch (org.apache.kafka.common.KafkaException e) {
      // Refused before the send was queued (the producer's id, or the topic's metadata): the same refusal.
      throw new ExecutionException(e);
    }
  }

  private static List<byte[]> readAll(String user, String topic) {
    Map<String, Object> config = stack.kafkaAs(user);
    config.put("key.deserializer", ByteArrayDeserializer.class);
    config.put("value.deserializer", ByteArrayDeserializer.class);
    try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(config)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(topic, info.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      List<byte[]> values = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
      return values;
    }
  }
}
