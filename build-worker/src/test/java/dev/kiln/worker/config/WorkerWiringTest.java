package dev.kiln.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.KilnWorkerApplication;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.ConfigurationClassPostProcessor;
import org.springframework.core.env.StandardEnvironment;

/**
 * The worker's beans as the application's component scan finds them, under the names other code asks for; read as
 * definitions only, so no Kafka or Docker is needed.
 */
class WorkerWiringTest {
  /** Scans what {@link KilnWorkerApplication} scans, without Boot's auto-configuration. */
  @ComponentScan(basePackageClasses = KilnWorkerApplication.class)
  static class WorkerScan {}

  private static DefaultListableBeanFactory definitions() {
    DefaultListableBeanFactory registry = new DefaultListableBeanFactory();
    registry.registerBeanDefinition("workerScan",
        new RootBeanDefinition(WorkerScan.class));
    ConfigurationClassPostProcessor processor = new ConfigurationClassPostProcessor();
    processor.setEnvironment(new StandardEnvironment());
    processor.postProcessBeanDefinitionRegistry(registry);
    return registry;
  }

  /** Made by a bean method of the worker's own configuration, not by a library's. */
  private static boolean madeByTheWorker(DefaultListableBeanFactory registry, String name) {
    String factory = registry.getBeanDefinition(name).getFactoryBeanName();
    return factory != null && registry.getBeanDefinition(factory).getBeanClassName().startsWith("dev.kiln.worker.");
  }

  @Test
  void componentScan_findsEveryWorkerBean() {
    List<String> names = Arrays.asList(definitions().getBeanDefinitionNames());

    assertThat(names).contains("kilnTopics", "workerId", "kilnTopicLayout", "kafkaAdmin", "buildEventProducer",
        "dockerConnection", "terminalBuilds", "terminalValueSerializer", "terminalWriter", "buildControl",
        "templateDeletions", "workerCapacity", "heartbeatPublisher", "heartbeatProducer", "heartbeatScheduler",
        "logFlushScheduler", "buildExecutor", "buildEventPublisher", "deadLetters", "workerDirectory",
        "containerSweeps", "engineWatch", "cacheEvictions", "buildJob", "workerSlots");
  }

  @Test
  void primaryBeans_areTheEventProducerAndTheHousekeepingScheduler() {
    DefaultListableBeanFactory registry = definitions();

    List<String> primary = Arrays.stream(registry.getBeanDefinitionNames())
        .filter(name -> madeByTheWorker(registry, name) && registry.getBeanDefinition(name).isPrimary())
        .toList();

    assertThat(primary).containsExactlyInAnyOrder("buildEventProducer", "logFlushScheduler");
  }
}
