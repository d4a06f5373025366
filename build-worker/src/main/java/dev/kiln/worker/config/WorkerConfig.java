package dev.kiln.worker.config;

import dev.kiln.archive.LocalDirectoryBlobStore;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.TopicSpec;
import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.docker.DockerImageEngine;
import dev.kiln.worker.docker.DockerImageRepositories;
import dev.kiln.worker.messaging.TemplateDeletions;
import dev.kiln.worker.capacity.WorkerCapacity;
import dev.kiln.worker.docker.HostCapacity;
import dev.kiln.worker.messaging.LogLimits;
import dev.kiln.worker.messaging.BuildControl;
import dev.kiln.worker.messaging.CapacityTracker;
import dev.kiln.worker.messaging.HeartbeatPublisher;
import dev.kiln.worker.messaging.BuildEventPublisher;
import dev.kiln.worker.messaging.BuildJob;
import dev.kiln.worker.messaging.BuildSupervisor;
import dev.kiln.worker.messaging.MonotonicClock;
import dev.kiln.worker.messaging.ClaimLoop;
import dev.kiln.worker.messaging.DeadLetters;
import dev.kiln.worker.messaging.PlanSettings;
import dev.kiln.worker.messaging.WorkerDirectory;
import dev.kiln.worker.docker.CacheEviction;
import dev.kiln.worker.docker.ContainerSweeper;
import dev.kiln.worker.docker.DockerLayerCache;
import dev.kiln.worker.docker.RegistryLayerCache;
import dev.kiln.worker.docker.RegistryRepositories;
import dev.kiln.worker.engine.step.ImageRepositories;
import java.util.List;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.docker.ContainerHardening;
import dev.kiln.worker.docker.EngineWatch;
import dev.kiln.worker.sweep.BuildContainerName;
import dev.kiln.worker.sweep.FleetKnowledge;
import dev.kiln.worker.sweep.SweepRules;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import dev.kiln.worker.messaging.ShareGroupSetup;
import dev.kiln.worker.messaging.TerminalBuilds;
import dev.kiln.worker.messaging.TerminalWriter;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringSerializer;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import dev.kiln.secrets.FleetCipher;
import java.time.Clock;
import java.util.Optional;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wires the worker: Kafka clients, the Docker connection, the build job and its slots. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfig {
  private static final int DELIVERY_LIMIT = 10;

  @Bean
  KilnTopics kilnTopics(WorkerProperties properties) {
    return KilnTopics.withPrefix(properties.topicPrefix());
  }

  @Bean
  String workerId(WorkerProperties properties) throws UnknownHostException {
    String workerId = properties.workerId() != null && !properties.workerId().isBlank() ? properties.workerId()
        : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    // It names the worker's build containers, so it must be a valid container name part.
    if (!BuildContainerName.NAME_CHARACTERS.matcher(workerId).matches()) {
      throw new IllegalStateException("KILN_WORKER_ID '" + workerId + "' may hold only letters, digits, '_', '.' and"
          + " '-', starting with a letter or digit: set KILN_WORKER_ID to such a name");
    }
    return workerId;
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
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    return new KafkaProducer<>(config);
  }

  @Bean(destroyMethod = "close")
  DockerConnection dockerConnection(WorkerProperties properties) {
    return DockerConnection.open(properties.dockerHost(), DockerConnection.DEFAULT_API_VERSION);
  }

  @Bean(destroyMethod = "close")
  TerminalBuilds terminalBuilds(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new TerminalBuilds(() -> new KafkaConsumer<>(viewConsumerConfig(properties)),
        () -> new KafkaConsumer<>(watermarkConsumerConfig(properties)), topics.buildStatus()).start();
  }

  private static Map<String, Object> watermarkConsumerConfig(WorkerProperties properties) {
    Map<String, Object> config = viewConsumerConfig(properties);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
    return config;
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
    Serializer<SpecificRecord> shared = new Serializer<>() {
      @Override
      public byte[] serialize(String topic, SpecificRecord data) {
        return terminalValueSerializer.serialize(topic, data);
      }

      @Override
      public void close() {
        // shared by every end's producer, closed with the context
      }
    };
    return new TerminalWriter(transactionalId -> new KafkaProducer<>(terminalProducerConfig(properties, transactionalId),
        new StringSerializer(), shared), terminalBuilds, topics.buildStatus(), topics.terminalTransactionPrefix());
  }

  /**
   * A producer for one end: a transaction of a few milliseconds. Its timeout bounds how long an end left open by a
   * frozen writer holds back every transactional reader of its partition; its waits are short because the writer
   * retries on its own.
   */
  private static Map<String, Object> terminalProducerConfig(WorkerProperties properties, String transactionalId) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
    config.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, 10_000);
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000);
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ProducerConfig.BUFFER_MEMORY_CONFIG, 1 << 20);
    return config;
  }

  @Bean(destroyMethod = "close")
  BuildControl buildControl(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new BuildControl(() -> new KafkaConsumer<>(viewConsumerConfig(properties)), topics.buildControl()).start();
  }

  private static Map<String, Object> viewConsumerConfig(WorkerProperties properties) {
    Map<String, Object> config = KilnSerdes.consumer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    return config;
  }

  @Bean(destroyMethod = "close")
  TemplateDeletions templateDeletions(WorkerProperties properties, KilnTopics topics, DockerConnection docker,
      KafkaAdmin admin) {
    String registry = properties.templateRegistry();
    List<ImageRepositories> places = registry == null || registry.isBlank()
        ? List.of(new DockerImageRepositories(docker))
        : List.of(new DockerImageRepositories(docker), new RegistryRepositories(registry));
    return new TemplateDeletions(() -> new KafkaConsumer<>(viewConsumerConfig(properties)), topics.templates(),
        places).start();
  }

  @Bean
  WorkerCapacity workerCapacity(WorkerProperties properties, DockerConnection docker) {
    WorkerProperties.CapacitySettings configured = properties.capacity();
    return HostCapacity.of(configured.cpu(), configured.memoryMb(), configured.diskGb(), docker,
        properties.workerSlots());
  }

  /**
   * Heartbeats have a producer and a thread of their own: a build's log flood or a stalled send must not delay
   * them, or the other workers would take this one for dead and sweep its running builds' containers.
   */
  @Bean(destroyMethod = "close")
  HeartbeatPublisher heartbeatPublisher(@Qualifier("heartbeatProducer") Producer<String, SpecificRecord> producer,
      KilnTopics topics, String workerId, DockerConnection docker, WorkerCapacity capacity,
      WorkerProperties properties, @Qualifier("heartbeatScheduler") ScheduledExecutorService scheduler,
      KafkaAdmin admin) {
    return new HeartbeatPublisher(producer, topics.workers(), workerId, docker.engineId(), capacity,
        properties.heartbeatInterval(), Clock.systemUTC()).start(scheduler);
  }

  @Bean(destroyMethod = "close")
  Producer<String, SpecificRecord> heartbeatProducer(WorkerProperties properties) {
    Map<String, Object> config = KilnSerdes.producer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "kiln-worker-heartbeats-" + UUID.randomUUID());
    return new KafkaProducer<>(config);
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService heartbeatScheduler() {
    return Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "kiln-heartbeats"));
  }

  /** Log flushes, container sweeps and cache eviction: the worker's housekeeping thread. */
  @Bean(destroyMethod = "shutdownNow")
  @Primary
  ScheduledExecutorService logFlushScheduler() {
    return Executors.newSingleThreadScheduledExecutor();
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService buildExecutor() {
    return Executors.newCachedThreadPool();
  }

  @Bean
  BuildEventPublisher buildEventPublisher(Producer<String, SpecificRecord> producer, KilnTopics topics) {
    return new BuildEventPublisher(producer, topics.buildStatus(), topics.buildLogs());
  }

  @Bean(destroyMethod = "close")
  DeadLetters deadLetters(WorkerProperties properties, KilnTopics topics, TerminalBuilds terminalBuilds,
      TerminalWriter terminalWriter, KafkaAdmin admin) {
    Map<String, Object> config = viewConsumerConfig(properties);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, topics.deadLetterGroup());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // Each dead letter is a fenced write of a few hundred milliseconds: keep a batch well inside the poll interval.
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 50);
    return new DeadLetters(() -> new KafkaConsumer<>(config), topics.buildDeadLetters(), terminalBuilds, terminalWriter,
        Clock.systemUTC()).start();
  }

  @Bean(destroyMethod = "close")
  WorkerDirectory workerDirectory(WorkerProperties properties, KilnTopics topics, KafkaAdmin admin) {
    return new WorkerDirectory(() -> new KafkaConsumer<>(viewConsumerConfig(properties)), topics.workers(),
        Clock.systemUTC()).start();
  }

  /** Sweeps this engine of containers that dead or superseded workers left, twice per claim lock. */
  @Bean(destroyMethod = "cancel")
  ScheduledFuture<?> containerSweeps(DockerConnection docker, HeartbeatPublisher heartbeats,
      TerminalBuilds terminalBuilds, WorkerDirectory workers, WorkerProperties properties,
      ScheduledExecutorService logFlushScheduler) {
    FleetKnowledge fleet = new FleetView(terminalBuilds, workers);
    ContainerSweeper sweeper = new ContainerSweeper(docker,
        new SweepRules(heartbeats.instance(), silenceLimit(properties), Clock.systemUTC()), fleet);
    long every = Math.max(1000, properties.claimLockDuration().toMillis() / 2);
    return logFlushScheduler.scheduleWithFixedDelay(sweeper::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Pings the engine every two seconds on a thread of its own (a hung engine must not stall log flushes or
   * heartbeats); while it does not answer this worker claims nothing and advertises no free slot.
   */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService engineWatch(DockerConnection docker, WorkerCapacity capacity,
      HeartbeatPublisher heartbeats) {
    EngineWatch watch = new EngineWatch(docker, capacity, heartbeats::beat);
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "kiln-engine-watch"));
    scheduler.scheduleWithFixedDelay(watch::check, 0, 2, TimeUnit.SECONDS);
    return scheduler;
  }

  /** Keeps the node's layer cache under its size, once a minute. */
  @Bean(destroyMethod = "cancel")
  ScheduledFuture<?> cacheEvictions(DockerConnection docker, WorkerProperties properties,
      ScheduledExecutorService logFlushScheduler) {
    CacheEviction eviction = new CacheEviction(docker, properties.cacheMaxSize().toBytes());
    return logFlushScheduler.scheduleWithFixedDelay(eviction::evictQuietly, 60, 60, TimeUnit.SECONDS);
  }

  /**
   * How long another worker may go unheard before its containers are swept: its claim lock plus three heartbeats.
   * A lock alone was too tight — a busy worker's heartbeat came late and its running build lost its container.
   */
  private static java.time.Duration silenceLimit(WorkerProperties properties) {
    return properties.claimLockDuration().plus(properties.heartbeatInterval().multipliedBy(3));
  }

  @Bean
  BuildJob buildJob(BuildEventPublisher publisher, TerminalWriter terminalWriter, DockerConnection docker, HeartbeatPublisher heartbeats,
      String workerId, WorkerProperties properties, ScheduledExecutorService logFlushScheduler) {
    long startedAt = heartbeats.startedAt().toEpochMilli();
    ContainerHardening hardening = properties.sandbox().hardening();
    return new BuildJob(publisher, terminalWriter, (buildId, attempt) -> new DockerImageEngine(docker,
            new BuildContainerName(buildId, attempt, workerId, startedAt), hardening),
        layerCache(docker, properties), new LocalDirectoryBlobStore(Path.of(properties.blobDir())),
        properties.fleetKey() == null || properties.fleetKey().isBlank() ? Optional.empty()
            : Optional.of(FleetCipher.fromBase64(properties.fleetKey())),
        new PlanSettings(properties.stepTimeout(), properties.archive().limits(), properties.templateRegistry(),
            properties.cacheRepository(), properties.cacheSharedAcrossOrganizations()),
        workerId, Clock.systemUTC(), logFlushScheduler,
        new LogLimits(properties.buildLogMaxLines(), properties.buildLogMaxSize().toBytes()));
  }

  /** The node's cache, shared through the fleet's registry when a cache repository is configured. */
  private static LayerCache layerCache(DockerConnection docker, WorkerProperties properties) {
    DockerLayerCache local = new DockerLayerCache(docker);
    String repository = properties.cacheRepository();
    return repository == null || repository.isBlank() ? local : new RegistryLayerCache(docker, local, repository);
  }

  @Bean
  WorkerSlots workerSlots(WorkerProperties properties, KilnTopics topics, BuildJob job, TerminalBuilds terminalBuilds,
      BuildControl control, ExecutorService buildExecutor, WorkerCapacity capacity, HeartbeatPublisher heartbeats,
      KafkaAdmin admin) throws Exception {
    CapacityTracker tracker = new CapacityTracker(capacity, heartbeats);
    try (Admin client = Admin.create(admin.getConfigurationProperties())) {
      admin.initialize();
      ShareGroupSetup.configure(client, topics.workerShareGroup(), properties.claimLockDuration(), DELIVERY_LIMIT,
          topics.buildDeadLetters());
    }
    return new WorkerSlots(properties.workerSlots(), () -> new ClaimLoop(
        () -> new KafkaShareConsumer<>(shareConsumerConfig(properties, topics)), topics.buildRequests(), job,
        terminalBuilds, properties.claimRenewInterval(), tracker,
        // One supervisor a slot: a stop reaches that slot's build. Its clock never jumps with the wall clock's.
        new BuildSupervisor(control::isCancelled, terminalBuilds::markTerminal, buildExecutor,
            properties.claimRenewInterval(), properties.buildTimeout(), new MonotonicClock())));
  }

  private static Map<String, Object> shareConsumerConfig(WorkerProperties properties, KilnTopics topics) {
    Map<String, Object> config = KilnSerdes.shareConsumer(properties.kafka(), properties.schemaRegistryUrl());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, topics.workerShareGroup());
    config.put("share.acknowledgement.mode", "explicit");
    // One record per poll and per acquisition: the default batch mode lets one slot grab hundreds of requests.
    config.put("share.acquire.mode", "record_limit");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    return config;
  }
}
