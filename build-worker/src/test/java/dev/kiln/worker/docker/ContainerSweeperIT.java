package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.kiln.worker.sweep.ContainerLabels;
import dev.kiln.worker.sweep.FleetKnowledge;
import dev.kiln.worker.sweep.SweepRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sweeper against a real engine: it removes exactly the containers the rules give up on, by their labels. */
class ContainerSweeperIT extends RealDockerEngine {
  @Test
  void removesTheDeadWorkersContainers_keepsTheLiveOnes_andThoseOfOtherEngines() {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String engine = docker.engineId();
    String ended = start(new ContainerLabels("ended-" + run, 1, "w1", "w1@1", engine));
    String live = start(new ContainerLabels("live-" + run, 1, "w2", "w2@1", engine));
    String elsewhere = start(new ContainerLabels("ended2-" + run, 1, "w3", "w3@1", "another-engine"));
    FleetKnowledge fleet = new FleetKnowledge() {
      public boolean caughtUp() {
        return true;
      }

      public boolean isTerminal(String buildId) {
        return buildId.startsWith("ended");
      }

      public int latestAttempt(String buildId) {
        return 1;
      }

      public Optional<Instant> lastHeard(String workerInstance) {
        return Optional.of(Instant.now());
      }
    };

    int removed = new ContainerSweeper(docker, engine, new SweepRules("me@1", Duration.ofSeconds(15),
        Clock.systemUTC()), fleet).sweep();

    Set<String> left = Set.copyOf(containersOf(run));
    try {
      assertThat(removed).isGreaterThanOrEqualTo(1);
      assertThat(left).doesNotContain(ended).contains(live, elsewhere);
    } finally {
      left.forEach(id -> docker.client().removeContainerCmd(id).withForce(true).exec());
    }
  }

  private static String start(ContainerLabels labels) {
    String id = docker.client().createContainerCmd("busybox:latest").withCmd("sleep", "300")
        .withLabels(labels.asMap()).exec().getId();
    docker.client().startContainerCmd(id).exec();
    return id;
  }

  private static List<String> containersOf(String run) {
    return docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(List.of(ContainerLabels.BUILD_LABEL)).exec().stream()
        .filter(c -> c.getLabels().get(ContainerLabels.BUILD_LABEL).endsWith(run)).map(Container::getId).toList();
  }
}
