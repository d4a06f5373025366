package dev.kiln.worker.config;

import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.TopicSpec;
import dev.kiln.worker.messaging.BuildControl;
import dev.kiln.worker.messaging.BuildEventPublisher;
import dev.kiln.worker.messaging.DeadLetters;
import dev.kiln.worker.messaging.TerminalBuilds;
import dev.kiln.worker.messaging.TerminalWriter;
import dev.kiln.worker.messaging.WorkerDirectory;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.time.Clock;
import java.util.Map;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaAdmin;

/**
 * The worker's Kafka side: topics and admin, producers and serializers, and the views it reads from whole topics.
 * A view takes the {@link KafkaAdmin} only so that the topics exist before it subscribes.
 */
@Configuration(proxyBeanMethods = false)
public class KafkaClientsConfig {
  @Bean
  KilnTopics kilnTopics(WorkerProperties properties) {
    return KilnTopics.withPrefix(properties.topicPrefix());
  }

  @Bean
  KafkaAdmin.NewTopics kilnTopicLayout(KilnTopics topics) {
    return new KafkaAdmin.NewTopics(topics.all().stream().map(TopicSpec::toNewTopic).toArray(NewTopic[]::new));
  }

  @Bean
  KafkaAdmin kafkaAdmin(WorkerProperties properties) {
    KafkaAdmin admin = new KafkaAdmin(properties.kafka());
    admin.setFatalIfBrokerNotAvailable(true);
    return admin;
  }

  @Bean(destroyMethod = "close")
  @Primary
  Producer<String, SpecificRecord> buildEventProducer(WorkerProperties properties) {
    return new KafkaProducer<>(KafkaClientSettings.eventProducer(properties));
  }

  /** The heartbeats' own producer: a build's log flood or a stalled send must not delay them. */
  @Bean(destroyMethod = "close")
  Producer<String, SpecificRecord> heartbeatProducer(WorkerProperties properties) {
    return new KafkaProducer<>(KafkaClientSettings.heartbeatProducer(properties));
  }

  @Bean
  BuildEventPublisher buildEventPublisher(Producer<String, SpecificRecord> producer, KilnTopics topics) {
    return new BuildEventPublisher(producer, topics.buildStatus(), topics.buildLogs());
  }

  /** One serializer for every end's producer: each would otherwise look its schema up in the registry again. */
  @Bean(destroyMethod = "close")
  Serializer<SpecificRecord> terminalValueSerializer(WorkerProperties properties) {
    AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl()), false);
    return serializer;
  }

  @Bean
  TerminalWriter terminalWriter(WorkerProperties properties, KilnTopics topics, TerminalBuilds terminalBuilds,
      Serializer<SpecificRecord> terminalValueSerializer) {
    Serializer<SpecificRecord> shared = new SharedSerializer<>(terminalValueSerializer);
    return new TerminalWriter(transactionalId -> new KafkaProducer<>(
        KafkaClientSettings.terminalProducer(properties, transactionalId), new StringSerializer(), shared),
        terminalBuilds, topics.buildStatus(), topics.terminalTransactionPrefix());
  }

  @Bean(destroyMethod = "close")
  TerminalBuilds terminalBuilds(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new TerminalBuilds(() -> new KafkaConsumer<>(KafkaClientSettings.viewConsumer(properties)),
        () -> new KafkaConsumer<>(KafkaClientSettings.watermarkConsumer(properties)), topics.buildStatus()).start();
  }

  @Bean(destroyMethod = "close")
  BuildControl buildControl(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new BuildControl(() -> new KafkaConsumer<>(KafkaClientSettings.viewConsumer(properties)),
        topics.buildControl()).start();
  }

  @Bean(destroyMethod = "close")
  WorkerDirectory workerDirectory(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new WorkerDirectory(() -> new KafkaConsumer<>(KafkaClientSettings.viewConsumer(properties)),
        topics.workers(), Clock.systemUTC()).start();
  }

  @Bean(destroyMethod = "close")
  DeadLetters deadLetters(WorkerProperties properties, KilnTopics topics, TerminalBuilds terminalBuilds,
      TerminalWriter terminalWriter, KafkaAdmin admin) {
    Map<String, Object> config = KafkaClientSettings.deadLetterConsumer(properties, topics);
    return new DeadLetters(() -> new KafkaConsumer<>(config), topics.buildDeadLetters(), terminalBuilds,
        terminalWriter, Clock.systemUTC()).start();
  }
}
