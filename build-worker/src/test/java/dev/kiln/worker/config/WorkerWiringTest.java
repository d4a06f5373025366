package dev.kiln.worker.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.KilnWorkerApplication;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.DependencyDescriptor;
import org.springframework.context.annotation.ContextAnnotationAutowireCandidateResolver;
import org.springframework.core.MethodParameter;
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
        "containerSweeps", "engineWatch", "cacheEvictions", "buildJob", "workerSlots", "claims");
  }

  @Test
  void buildSlots_runBuildsOnTheBuildExecutor_notOnTheHousekeepingThread() throws Exception {
    // Before: the parameter named buildExecutor got the @Primary single-thread logFlushScheduler, so a worker ran
    // one build at a time whatever its slots, and its log flushes waited behind the build.
    DefaultListableBeanFactory registry = definitions();
    registry.setAutowireCandidateResolver(new ContextAnnotationAutowireCandidateResolver());
    java.lang.reflect.Method workerSlots = Arrays.stream(WorkerConfig.class.getDeclaredMethods())
        .filter(method -> method.getName().equals("workerSlots")).findFirst().orElseThrow();
    int parameter = Arrays.asList(workerSlots.getParameterTypes()).indexOf(ExecutorService.class);
    try {
      Object injected = registry.resolveDependency(
          new DependencyDescriptor(new MethodParameter(workerSlots, parameter), true), "workerSlots");

      assertThat(injected).isSameAs(registry.getBean("buildExecutor")).isNotInstanceOf(ScheduledExecutorService.class);
    } finally {
      registry.destroySingletons();
    }
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
