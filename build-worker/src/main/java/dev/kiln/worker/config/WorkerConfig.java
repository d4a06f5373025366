package dev.kiln.worker.config;

import dev.kiln.archive.LocalDirectoryBlobStore;
import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.worker.capacity.WorkerCapacity;
import dev.kiln.worker.docker.ContainerHardening;
import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.docker.DockerImageEngine;
import dev.kiln.worker.docker.SubnetPool;
import dev.kiln.worker.messaging.BuildControl;
import dev.kiln.worker.messaging.BuildEventPublisher;
import dev.kiln.worker.messaging.BuildJob;
import dev.kiln.worker.messaging.BuildSupervisor;
import dev.kiln.worker.messaging.CapacityTracker;
import dev.kiln.worker.messaging.ClaimLoop;
import dev.kiln.worker.messaging.HeartbeatPublisher;
import dev.kiln.worker.messaging.LogLimits;
import dev.kiln.worker.messaging.MonotonicClock;
import dev.kiln.worker.messaging.PlanSettings;
import dev.kiln.worker.messaging.ShareGroupSetup;
import dev.kiln.worker.messaging.TerminalBuilds;
import dev.kiln.worker.messaging.TerminalWriter;
import dev.kiln.worker.sweep.BuildContainerName;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** Wires the worker's building: its id, the build job, and the slots that claim builds for it. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WorkerProperties.class)
public class WorkerConfig {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfig.class);
  private static final int DELIVERY_LIMIT = 10;

  @Bean
  String workerId(WorkerProperties properties) throws UnknownHostException {
    return WorkerIdentity.of(properties.workerId());
  }

  @Bean(destroyMethod = "shutdownNow")
  ExecutorService buildExecutor() {
    return Executors.newCachedThreadPool();
  }

  @Bean
  BuildJob buildJob(BuildEventPublisher publisher, TerminalWriter terminalWriter, DockerConnection docker,
      HeartbeatPublisher heartbeats, String workerId, WorkerProperties properties,
      ScheduledExecutorService logFlushScheduler) {
    long startedAt = heartbeats.startedAt().toEpochMilli();
    ContainerHardening hardening = properties.sandbox().hardening();
    SubnetPool networks = properties.sandbox().networks();
    return new BuildJob(publisher, terminalWriter, (buildId, attempt) -> new DockerImageEngine(docker,
            new BuildContainerName(buildId, attempt, workerId, startedAt), hardening, networks),
        NodeLayerCache.of(docker, properties.cacheRepository()),
        new LocalDirectoryBlobStore(Path.of(properties.blobDir())), properties.fleetCipher(),
        new PlanSettings(properties.stepTimeout(), properties.archive().limits(), properties.templateRegistry(),
            properties.cacheRepository(), properties.cacheSharedAcrossOrganizations()),
        workerId, Clock.systemUTC(), logFlushScheduler,
        new LogLimits(properties.buildLogMaxLines(), properties.buildLogMaxSize().toBytes()));
  }

  @Bean
  WorkerSlots workerSlots(WorkerProperties properties, KilnTopics topics, BuildJob job, TerminalBuilds terminalBuilds,
      BuildControl control, @Qualifier("buildExecutor") ExecutorService buildExecutor, WorkerCapacity capacity,
      HeartbeatPublisher heartbeats,
      KafkaAdmin admin) throws Exception {
    SizeClass pool = pool(capacity);
    configureShareGroup(admin, topics, pool, properties);
    CapacityTracker tracker = new CapacityTracker(capacity, heartbeats);
    return new WorkerSlots(properties.workerSlots(), () -> new ClaimLoop(
        () -> new KafkaShareConsumer<>(KafkaClientSettings.shareConsumer(properties, topics, pool)),
        topics.buildRequests(pool), job, terminalBuilds, properties.claimRenewInterval(), tracker,
        // One supervisor a slot: a stop reaches that slot's build. Its clock never jumps with the wall clock's.
        new BuildSupervisor(control::isCancelled, terminalBuilds::markTerminal, buildExecutor,
            properties.claimRenewInterval(), properties.buildTimeout(), new MonotonicClock())));
  }

  /**
   * The worker's pool: the largest size class one slot holds whole. A worker whose slots hold no class would never
   * build anything, so it does not start.
   */
  static SizeClass pool(WorkerCapacity capacity) {
    WorkerCapacity.Amount slot = capacity.perSlot();
    SizeClass pool = capacity.pool().orElseThrow(() -> {
      Resources smallest = SizeClass.SMALL.ceiling();
      return new IllegalStateException(String.format("a build slot of %d cpu, %d MB memory, %d GB disk holds no size "
          + "class; the smallest needs %d cpu, %d MB, %d GB: give the worker more resources or fewer slots",
          slot.cpu(), slot.memoryMb(), slot.diskGb(), smallest.getCpu(), smallest.getMemoryMb(),
          smallest.getDiskGb()));
    });
    log.info("build slots of {} cpu, {} MB, {} GB: this worker claims from the {} pool", slot.cpu(),
        slot.memoryMb(), slot.diskGb(), pool.label());
    return pool;
  }

  /** Creates the worker's topics, then sets their share group up: both before any slot polls. */
  private static void configureShareGroup(KafkaAdmin admin, KilnTopics topics, SizeClass pool,
      WorkerProperties properties) throws ExecutionException, InterruptedException {
    try (Admin client = Admin.create(admin.getConfigurationProperties())) {
      admin.initialize();
      ShareGroupSetup.configure(client, topics.workerShareGroup(pool), properties.claimLockDuration(), DELIVERY_LIMIT,
          topics.buildDeadLetters());
    }
  }
}
