package dev.kiln.worker.config;

import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.worker.capacity.WorkerCapacity;
import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.docker.EngineWatch;
import dev.kiln.worker.docker.HostCapacity;
import dev.kiln.worker.messaging.HeartbeatPublisher;
import dev.kiln.worker.messaging.TemplateDeletions;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.kafka.core.KafkaAdmin;

/** The worker's Docker side: the engine connection, what the node offers builds, and the engine's watch. */
@Configuration(proxyBeanMethods = false)
public class DockerConfig {
  private static final Duration ENGINE_CHECK_EVERY = Duration.ofSeconds(2);

  @Bean(destroyMethod = "close")
  DockerConnection dockerConnection(WorkerProperties properties) {
    return DockerConnection.open(properties.dockerHost(), DockerConnection.DEFAULT_API_VERSION);
  }

  @Bean
  WorkerCapacity workerCapacity(WorkerProperties properties, DockerConnection docker) {
    WorkerProperties.CapacitySettings configured = properties.capacity();
    return HostCapacity.of(configured.cpu(), configured.memoryMb(), configured.diskGb(), docker,
        properties.workerSlots());
  }

  /** Deleting a template removes its images from this engine and from the fleet's registry. */
  @Bean(destroyMethod = "close")
  TemplateDeletions templateDeletions(WorkerProperties properties, KilnTopics topics, DockerConnection docker,
      KafkaAdmin admin) {
    return new TemplateDeletions(() -> new KafkaConsumer<>(KafkaClientSettings.viewConsumer(properties)),
        topics.templates(), TemplateImagePlaces.of(docker, properties.templateRegistry())).start();
  }

  /** While the engine does not answer, this worker claims nothing and advertises no free slot. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService engineWatch(DockerConnection docker, WorkerCapacity capacity,
      HeartbeatPublisher heartbeats) {
    return new EngineWatch(docker, capacity, heartbeats::beat).startOnOwnThread(ENGINE_CHECK_EVERY);
  }
}
