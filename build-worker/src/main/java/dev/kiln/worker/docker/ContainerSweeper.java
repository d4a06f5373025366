package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.kiln.worker.sweep.BuildContainerName;
import dev.kiln.worker.sweep.FleetKnowledge;
import dev.kiln.worker.sweep.SweepRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes build containers, and build networks, that a dead or superseded worker left on this worker's Docker
 * engine. Every worker on an engine sweeps it; removing a container twice is harmless.
 */
public final class ContainerSweeper {
  private static final Logger log = LoggerFactory.getLogger(ContainerSweeper.class);
  private final DockerConnection docker;
  private final SweepRules rules;
  private final FleetKnowledge fleet;

  public ContainerSweeper(DockerConnection docker, SweepRules rules, FleetKnowledge fleet) {
    this.docker = docker;
    this.rules = rules;
    this.fleet = fleet;
  }

  /** One pass over the engine's build containers, then their networks; returns how many containers were removed. */
  public int sweep() {
    int removed = sweepContainers();
    sweepNetworks();
    return removed;
  }

  private int sweepContainers() {
    int removed = 0;
    for (Container container : buildContainers()) {
      Optional<BuildContainerName> owner = ownerOf(container);
      if (owner.isEmpty()) {
        continue;
      }
      Optional<String> reason = rules.reasonToRemove(owner.get(), Instant.ofEpochSecond(container.getCreated()),
          fleet);
      if (reason.isPresent() && remove(container.getId())) {
        log.info("removed container {} of build {} attempt {}: {}", container.getId(), owner.get().buildId(),
            owner.get().attempt(), reason.get());
        removed++;
      }
    }
    return removed;
  }

  /**
   * Networks are named as their attempt's containers are. The engine tells no network's age: the worker process's
   * start stands in for it, and a network that still has a container is refused by the engine and kept.
   */
  private void sweepNetworks() {
    for (Network network : docker.client().listNetworksCmd().withNameFilter(BuildContainerName.PREFIX).exec()) {
      Optional<BuildContainerName> owner = BuildContainerName.parse(network.getName());
      Optional<String> reason = owner.flatMap(name -> rules.reasonToRemove(name,
          Instant.ofEpochMilli(name.startedAtMillis()), fleet));
      if (reason.isPresent() && removeNetwork(network.getId())) {
        log.info("removed network {} of build {} attempt {}: {}", network.getName(), owner.get().buildId(),
            owner.get().attempt(), reason.get());
      }
    }
  }

  private boolean removeNetwork(String networkId) {
    try {
      docker.client().removeNetworkCmd(networkId).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    } catch (com.github.dockerjava.api.exception.DockerException inUse) {
      return false; // a container of it is still there: a later pass, after that container's removal
    }
  }

  /** Sweeps, logging rather than throwing: a scheduled pass must not die on a flaky engine. */
  public void sweepQuietly() {
    try {
      sweep();
    } catch (RuntimeException e) {
      log.warn("container sweep failed: {}", e.toString());
    }
  }

  private List<Container> buildContainers() {
    // The engine's name filter matches anywhere in the name; ownerOf keeps only names that start with the prefix.
    return docker.client().listContainersCmd().withShowAll(true)
        .withNameFilter(List.of(BuildContainerName.PREFIX)).exec();
  }

  private static Optional<BuildContainerName> ownerOf(Container container) {
    String[] names = container.getNames() == null ? new String[0] : container.getNames();
    return java.util.Arrays.stream(names).map(BuildContainerName::parse).flatMap(Optional::stream).findFirst();
  }

  private boolean remove(String containerId) {
    try {
      docker.client().removeContainerCmd(containerId).withForce(true).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    }
  }
}
