package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.model.Container;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.sweep.BuildContainerName;
import dev.kiln.worker.sweep.FleetKnowledge;
import dev.kiln.worker.sweep.SweepRules;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The sweeper against a real engine: it removes exactly the containers the rules give up on, by their names. */
class ContainerSweeperIT extends RealDockerEngine {
  private final String run = UUID.randomUUID().toString().substring(0, 8);
  private final List<String> made = new ArrayList<>();

  /** A fleet in which builds whose id starts with "ended" have ended and every worker is alive. */
  private static final FleetKnowledge FLEET = new FleetKnowledge() {
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

  @Test
  void removesTheContainersOfEndedBuilds_keepsTheLiveOnes() {
    String ended = start(new BuildContainerName("ended-" + run, 1, "w1", 1).name("1"));
    String live = start(new BuildContainerName("live-" + run, 1, "w_2", 1).name("1"));
    String notOurs = start("not-kiln-build_ended-" + run + "_1_w1_1_1");

    int removed = sweep();

    Set<String> left = Set.copyOf(containersOf(run));
    try {
      assertThat(removed).isGreaterThanOrEqualTo(1);
      assertThat(left).doesNotContain(ended).contains(live, notOurs);
    } finally {
      removeAll();
    }
  }

  @Test
  void removesTheNetworksOfEndedBuilds_keepsTheLiveOnes() {
    String ended = network(new BuildContainerName("ended-" + run, 1, "w1", 1).name("n1"), 1);
    String live = network(new BuildContainerName("live-" + run, 1, "w_2", 1).name("n1"), 2);
    try {
      sweep();

      List<String> left = docker.client().listNetworksCmd().withNameFilter(run).exec().stream()
          .map(com.github.dockerjava.api.model.Network::getId).toList();
      assertThat(left).doesNotContain(ended).contains(live);
    } finally {
      for (String id : List.of(ended, live)) {
        try {
          docker.client().removeNetworkCmd(id).exec();
        } catch (RuntimeException gone) {
          // removed by the sweep under test
        }
      }
    }
  }

  private static String network(String name, int index) {
    return docker.client().createNetworkCmd().withName(name).withIpam(new com.github.dockerjava.api.model.Network
        .Ipam().withConfig(new com.github.dockerjava.api.model.Network.Ipam.Config()
        .withSubnet(dev.kiln.worker.docker.SubnetPool.parse("10.219.0.0/16").subnet(index)))).exec().getId();
  }

  @Test
  void keepsAContainerRunFromATemplate_afterItsBuildEnded() throws Exception {
    BuildPlan plan = new BuildPlan(DockerImageEngineIT.BASE, DockerImageEngineIT.LIMITS,
        List.of(new RunStep("echo hello > /hello.txt")), "kiln/it/sweep-" + run, "t1");
    BuildOutcome outcome = new BuildRunner().run(plan,
        engine(new BuildContainerName("ended-" + run, 1, "w1", 1)), DockerImageEngineIT.NO_FILES,
        new dev.kiln.worker.engine.RecordingListener());
    assertThat(outcome.succeeded()).as(outcome.errorMessage()).isTrue();
    // What `docker run <template>` makes: a container of the image, named by Docker, not by Kiln.
    String userContainer = docker.client().createContainerCmd(outcome.imageRef()).withCmd("sleep", "300")
        .exec().getId();
    docker.client().startContainerCmd(userContainer).exec();
    made.add(userContainer);

    sweep();

    try {
      assertThat(docker.client().inspectContainerCmd(userContainer).exec().getState().getRunning())
          .as("a user's container of a template whose build has ended").isTrue();
    } finally {
      removeAll();
    }
  }

  private static int sweep() {
    return new ContainerSweeper(docker, new SweepRules("me@1", Duration.ofSeconds(15), Clock.systemUTC()), FLEET)
        .sweep();
  }

  private String start(String name) {
    String id = docker.client().createContainerCmd("busybox:latest").withCmd("sleep", "300").withName(name)
        .exec().getId();
    docker.client().startContainerCmd(id).exec();
    made.add(id);
    return id;
  }

  private List<String> containersOf(String run) {
    return docker.client().listContainersCmd().withShowAll(true).withNameFilter(List.of(run)).exec().stream()
        .map(Container::getId).toList();
  }

  private void removeAll() {
    for (String id : made) {
      try {
        docker.client().removeContainerCmd(id).withForce(true).exec();
      } catch (RuntimeException gone) {
        // removed by the sweep under test
      }
    }
  }
}
