package dev.kiln.worker.config;

import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.worker.capacity.WorkerCapacity;
import dev.kiln.worker.docker.CacheEviction;
import dev.kiln.worker.docker.ContainerSweeper;
import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.messaging.HeartbeatPublisher;
import dev.kiln.worker.messaging.TerminalBuilds;
import dev.kiln.worker.messaging.WorkerDirectory;
import dev.kiln.worker.sweep.SweepRules;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Primary;
import org.springframework.kafka.core.KafkaAdmin;

/** The worker's housekeeping: heartbeats, container sweeps and cache eviction, and the threads they run on. */
@Configuration(proxyBeanMethods = false)
public class HousekeepingConfig {
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

  /** Sweeps this engine of containers that dead or superseded workers left, twice per claim lock. */
  @Bean(destroyMethod = "cancel")
  ScheduledFuture<?> containerSweeps(DockerConnection docker, HeartbeatPublisher heartbeats,
      TerminalBuilds terminalBuilds, WorkerDirectory workers, WorkerProperties properties,
      ScheduledExecutorService logFlushScheduler) {
    ContainerSweeper sweeper = new ContainerSweeper(docker,
        new SweepRules(heartbeats.instance(), silenceLimit(properties), Clock.systemUTC()),
        new FleetView(terminalBuilds, workers));
    long every = Math.max(1000, properties.claimLockDuration().toMillis() / 2);
    return logFlushScheduler.scheduleWithFixedDelay(sweeper::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
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
  private static Duration silenceLimit(WorkerProperties properties) {
    return properties.claimLockDuration().plus(properties.heartbeatInterval().multipliedBy(3));
  }
}
