package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.kiln.worker.sweep.ContainerLabels;
import dev.kiln.worker.sweep.FleetKnowledge;
import dev.kiln.worker.sweep.SweepRules;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes build containers that a dead or superseded worker left on this worker's Docker engine. Every worker on an
 * engine sweeps it; removing a container twice is harmless.
 */
public final class ContainerSweeper {
  private static final Logger log = LoggerFactory.getLogger(ContainerSweeper.class);
  private final DockerConnection docker;
  private final String engineId;
  private final SweepRules rules;
  private final FleetKnowledge fleet;

  public ContainerSweeper(DockerConnection docker, String engineId, SweepRules rules, FleetKnowledge fleet) {
    this.docker = docker;
    this.engineId = engineId;
    this.rules = rules;
    this.fleet = fleet;
  }

  /** One pass over the engine's build containers; returns how many were removed. */
  public int sweep() {
    int removed = 0;
    for (Container container : buildContainers()) {
      Optional<ContainerLabels> labels = ContainerLabels.of(container.getLabels());
      if (labels.isEmpty() || !labels.get().engineId().equals(engineId)) {
        continue;
      }
      Optional<String> reason = rules.reasonToRemove(labels.get(), Instant.ofEpochSecond(container.getCreated()),
          fleet);
      if (reason.isPresent() && remove(container.getId())) {
        log.info("removed container {} of build {} attempt {}: {}", container.getId(), labels.get().buildId(),
            labels.get().attempt(), reason.get());
        removed++;
      }
    }
    return removed;
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
    return docker.client().listContainersCmd().withShowAll(true)
        .withLabelFilter(List.of(ContainerLabels.BUILD_LABEL)).exec();
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
