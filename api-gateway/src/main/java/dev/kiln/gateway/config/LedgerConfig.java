package dev.kiln.gateway.config;

import dev.kiln.gateway.ledger.LedgerTopology;
import dev.kiln.gateway.messaging.AbandonedBuilds;
import dev.kiln.gateway.messaging.LedgerClient;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandResult;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.DefaultKafkaConsumerFactory;
import org.springframework.kafka.core.DefaultKafkaProducerFactory;
import org.springframework.kafka.core.KafkaAdmin;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.KafkaMessageListenerContainer;
import org.springframework.kafka.requestreply.ReplyingKafkaTemplate;

/**
 * The template ledger: every gateway runs a member of one Kafka Streams application (so the names' partitions are
 * shared among the gateways, one writer each) and asks it through request/reply.
 */
@Configuration(proxyBeanMethods = false)
public class LedgerConfig {

  /** How long a stopping gateway waits for the ledger to close; with the broker gone, close() would wait forever. */
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(10);

  /** A crashed gateway's ledger tasks move to the others (or to it, restarted) after this long, not after 45 s. */
  private static final int SESSION_TIMEOUT_MS = 10_000;

  /** The readiness group's "ledger" member. */
  @Bean("ledger")
  LedgerHealth ledgerHealth() {
    return new LedgerHealth();
  }

  @Bean(destroyMethod = "")
  KafkaStreams templateLedger(GatewayProperties properties, KilnTopics topics, KafkaAdmin admin, LedgerHealth health)
      throws IOException {
    admin.initialize(); // the topology's topics must exist before the application starts
    Properties config = new Properties();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, topics.ledgerApplicationId());
    // The ledger's own identity: it alone may write build requests and template state.
    config.putAll(properties.ledgerKafka());
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    // Replies wait for the transaction's commit: keep commits frequent, but each costs the broker ~20 ms here, and
    // shorter intervals only add transactions under load (0, a commit per poll, collapsed to 90 req/s).
    config.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 20);
    // The stream thread commits only between polls: with the default 100 ms poll, a command processed just after a
    // commit waited out a whole idle poll for its own (one client at a time: p50 117 ms; 29 ms with 5 ms polls).
    config.put(StreamsConfig.POLL_MS_CONFIG, 5);
    // Kept across restarts, so a restart restores from the local store instead of replaying the whole changelog.
    // Kafka Streams locks its task directories: two gateways on one machine need distinct dirs.
    config.put(StreamsConfig.STATE_DIR_CONFIG, Files.createDirectories(Path.of(properties.ledgerStateDir())).toString());
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG), SESSION_TIMEOUT_MS);
    if (properties.gatewayId() != null && !properties.gatewayId().isBlank()) {
      // Static membership: a gateway back within the session timeout finds its tasks waiting, no rebalance.
      config.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, topics.ledgerApplicationId() + "-" + properties.gatewayId());
    }
    // Production errors keep the default FAIL handling on purpose: with exactly-once, CONTINUE would drop a
    // changelog or template write whose reply the same transaction promises. Oversized writes are refused before
    // they are forwarded (CommandProcessor's size check, bounded error texts), so FAIL is not reached for them.
    KafkaStreams streams = new KafkaStreams(LedgerTopology.build(topics, avroSerde(properties), Clock.systemUTC()),
        config);
    // A stream thread that dies (say, on a timeout while the broker is away) is replaced, not left dead.
    streams.setUncaughtExceptionHandler(failure -> StreamThreadExceptionResponse.REPLACE_THREAD);
    streams.setStateListener(health);
    return streams;
  }

  /**
   * Started once the context is up, not while it is built: a context that fails to start then leaves no stream
   * threads behind to keep the JVM alive, and every bean the closer needs exists.
   */
  @Bean
  @org.springframework.core.annotation.Order(org.springframework.core.Ordered.HIGHEST_PRECEDENCE)
  ApplicationRunner startTemplateLedger(KafkaStreams templateLedger) {
    return args -> templateLedger.start();
  }

  @Bean
  DisposableBean templateLedgerCloser(KafkaStreams templateLedger) {
    // Leaving the group hands this gateway's ledger tasks on at once; without it a restarted gateway waits for its
    // own old member's session to time out before it can decide anything.
    return () -> templateLedger.close(CloseOptions.timeout(CLOSE_TIMEOUT)
        .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
  }

  @Bean
  ReplyingKafkaTemplate<String, TemplateCommand, TemplateCommandResult> ledgerRequests(GatewayProperties properties,
      KilnTopics topics) {
    Map<String, Object> producer = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    // Bounded: with the broker gone a request gets a 503 in seconds instead of hanging.
    producer.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) properties.kafkaMaxBlock().toMillis());
    producer.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    // A command not written within the reply timeout is given up rather than written minutes later.
    int replyMillis = (int) properties.ledgerReplyTimeout().toMillis();
    producer.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.max(1000, replyMillis - 1000));
    producer.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, replyMillis);
    Map<String, Object> consumer = KafkaConfig.consumerConfig(properties);
    // Every gateway reads every reply and keeps those it is waiting for.
    consumer.put(ConsumerConfig.GROUP_ID_CONFIG, topics.gatewayReplyGroupPrefix() + UUID.randomUUID());
    consumer.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    consumer.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 20);
    var container = new KafkaMessageListenerContainer<String, TemplateCommandResult>(
        new DefaultKafkaConsumerFactory<>(consumer), new ContainerProperties(topics.templateReplies()));
    var template = new ReplyingKafkaTemplate<>(new DefaultKafkaProducerFactory<String, TemplateCommand>(producer),
        container);
    template.setSharedReplyTopic(true);
    template.setDefaultReplyTimeout(properties.ledgerReplyTimeout());
    return template;
  }

  @Bean
  LedgerClient ledgerClient(ReplyingKafkaTemplate<String, TemplateCommand, TemplateCommandResult> requests,
      KilnTopics topics, AbandonedBuilds abandoned) {
    return new LedgerClient(requests, topics.templateCommands(), abandoned);
  }

  /** Readiness waits for this: a reply sent before the reply consumer is assigned would be missed. */
  @Bean
  ApplicationRunner awaitReplyAssignment(ReplyingKafkaTemplate<String, TemplateCommand, TemplateCommandResult> requests) {
    return args -> {
      if (!requests.waitForAssignment(Duration.ofSeconds(60))) {
        throw new IllegalStateException("the ledger reply consumer got no partitions within 60 s");
      }
    };
  }

  private static Serde<SpecificRecord> avroSerde(GatewayProperties properties) {
    Map<String, Object> config = KilnSerdes.producer(properties.ledgerKafka(), properties.schemaRegistryUrl());
    config.put("apicurio.registry.use-specific-avro-reader", true);
    AvroKafkaSerializer<SpecificRecord> serializer = new AvroKafkaSerializer<>();
    AvroKafkaDeserializer<SpecificRecord> deserializer = new AvroKafkaDeserializer<>();
    serializer.configure(config, false);
    deserializer.configure(config, false);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
