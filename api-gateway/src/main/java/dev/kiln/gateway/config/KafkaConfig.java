package dev.kiln.gateway.config;

import dev.kiln.gateway.messaging.AbandonedBuilds;
import dev.kiln.gateway.messaging.CancelPublisher;
import dev.kiln.gateway.messaging.ShareGroupLag;
import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.gateway.projection.IdentityDirectory;
import dev.kiln.gateway.projection.LogIndex;
import dev.kiln.gateway.projection.LogReader;
import dev.kiln.gateway.projection.SpillStore;
import dev.kiln.gateway.projection.TemplateProjection;
import dev.kiln.gateway.projection.WorkerView;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.TopicSpec;
import dev.kiln.schema.kafka.TopicTailer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Kafka on the gateway's side: topics and the tailers behind the projections. */
@Configuration(proxyBeanMethods = false)
public class KafkaConfig {
  private static final Duration TAIL_POLL = Duration.ofMillis(200);

  /** Creates Kiln's topics at start-up if missing, with explicit partitions and configs; existing ones are kept. */
  @Bean
  KafkaAdmin.NewTopics kilnTopicLayout(KilnTopics topics) {
    return new KafkaAdmin.NewTopics(topics.all().stream().map(TopicSpec::toNewTopic).toArray(NewTopic[]::new));
  }

  @Bean
  KafkaAdmin kafkaAdmin(GatewayProperties properties) {
    KafkaAdmin admin = new KafkaAdmin(properties.kafka());
    admin.setFatalIfBrokerNotAvailable(true);
    return admin;
  }

  /** Durable events the gateway writes itself (cancel requests): acknowledged by every in-sync replica. */
  @Bean
  KafkaTemplate<String, SpecificRecord> eventTemplate(GatewayProperties properties) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.kafkaMaxBlock().toMillis());
    return new KafkaTemplate<>(new DefaultKafkaProducerFactory<>(config));
  }

  @Bean
  CancelPublisher cancelPublisher(KafkaTemplate<String, SpecificRecord> events, KilnTopics topics) {
    return new CancelPublisher(events, topics.buildControl());
  }

  @Bean(destroyMethod = "close")
  AbandonedBuilds abandonedBuilds(CancelPublisher cancels) {
    return new AbandonedBuilds(cancels, Duration.ofSeconds(1), Clock.systemUTC()).start();
  }

  /** Where the projections put the builds that ended a while ago; emptied when the gateway stops. */
  @Bean(destroyMethod = "close")
  SpillStore spillStore(GatewayProperties properties) {
    return SpillStore.openUnder(Path.of(properties.projection().spillDir()), "projection");
  }

  @Bean
  BuildProjection buildProjection(SpillStore spilled, GatewayProperties properties) {
    return new BuildProjection(spilled, properties.projection().keptInHeap(), Clock.systemUTC());
  }

  @Bean
  QueueMetrics queueMetrics(BuildProjection builds, ShareGroupLag shareGroupLag) {
    return new QueueMetrics(builds, shareGroupLag::lag, Clock.systemUTC());
  }

  /** The broker's view of the queue, read every 15 s: cheap for the broker, often enough for a cross-check. */
  @Bean(destroyMethod = "close")
  ShareGroupLag shareGroupLag(GatewayProperties properties, KilnTopics topics) {
    return new ShareGroupLag(Admin.create(properties.kafka()), topics.workerShareGroups(), topics.buildRequestTopics(),
        Duration.ofSeconds(5)).start(Duration.ofSeconds(15));
  }

  @Bean
  LogIndex logIndex(SpillStore spilled, GatewayProperties properties) {
    return new LogIndex(spilled, properties.projection().keptInHeap(), Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  TopicTailer buildTailer(GatewayProperties properties, KilnTopics topics, BuildProjection builds, KafkaAdmin admin) {
    return new TopicTailer("builds", consumers(properties), requestsAndStatus(topics),
        builds::accept, TAIL_POLL).start();
  }

  private static List<String> requestsAndStatus(KilnTopics topics) {
    List<String> read = new java.util.ArrayList<>(topics.buildRequestTopics());
    read.add(topics.buildStatus());
    return read;
  }

  @Bean(destroyMethod = "close")
  TopicTailer logTailer(GatewayProperties properties, KilnTopics topics, LogIndex index, KafkaAdmin admin) {
    return new TopicTailer("logs", consumers(properties), List.of(topics.buildLogs()), index::accept, TAIL_POLL).start();
  }

  @Bean
  WorkerView workerView() {
    return new WorkerView(java.time.Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  TopicTailer workerTailer(GatewayProperties properties, KilnTopics topics, WorkerView workers, KafkaAdmin admin) {
    return new TopicTailer("workers", consumers(properties), List.of(topics.workers()), workers::accept, TAIL_POLL).start();
  }

  @Bean
  IdentityDirectory identityDirectory() {
    return new IdentityDirectory(Clock.systemUTC());
  }

  @Bean(destroyMethod = "close")
  TopicTailer identityTailer(GatewayProperties properties, KilnTopics topics, IdentityDirectory directory,
      KafkaAdmin admin) {
    return new TopicTailer("identity", consumers(properties), List.of(topics.organizations(), topics.apiKeys()),
        directory::accept, TAIL_POLL).start();
  }

  @Bean
  TemplateProjection templateProjection() {
    return new TemplateProjection();
  }

  @Bean(destroyMethod = "close")
  TopicTailer templateTailer(GatewayProperties properties, KilnTopics topics, TemplateProjection templates,
      KafkaAdmin admin) {
    return new TopicTailer("templates", consumers(properties), List.of(topics.templates()), templates::accept, TAIL_POLL).start();
  }

  @Bean(destroyMethod = "close")
  LogReader logReader(GatewayProperties properties, LogIndex index) {
    Supplier<KafkaConsumer<String, Object>> readers = () -> {
      Map<String, Object> config = consumerConfig(properties);
      // Reads are short seeks into the log: an idle long-poll left in flight would delay the next page by 500 ms.
      config.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 5);
      return new KafkaConsumer<>(config);
    };
    return new LogReader(index, readers);
  }

  private static Supplier<KafkaConsumer<String, Object>> consumers(GatewayProperties properties) {
    return () -> new KafkaConsumer<>(consumerConfig(properties));
  }

  static Map<String, Object> consumerConfig(GatewayProperties properties) {
    Map<String, Object> config = KilnSerdes.consumer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 2000);
    return config;
  }
}
