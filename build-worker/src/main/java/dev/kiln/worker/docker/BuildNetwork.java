package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Network;
import dev.kiln.worker.engine.runner.EngineUnavailable;
import java.util.Map;

/**
 * The bridge network of one build attempt: its containers reach the outside world through it but nothing of
 * another build's, since Docker isolates bridge networks from each other. The node's sandbox firewall
 * ({@code ops/host/sandbox-firewall.sh}) does the rest: no route from the pool to the node itself, to private or
 * link-local addresses (Kiln's services, the cloud's metadata endpoint).
 */
final class BuildNetwork {
  /** Subnets tried before giving up: with random picks from a /16, a second clash is already rare. */
  private static final int ATTEMPTS = 16;
  private final DockerConnection docker;
  private final String name;
  private final SubnetPool pool;
  private String id;

  BuildNetwork(DockerConnection docker, String name, SubnetPool pool) {
    this.docker = docker;
    this.name = name;
    this.pool = pool;
  }

  /**
   * The network's id, creating it on first use. A network the node cannot make is Kiln's fault, not the build's:
   * the request goes back for another attempt.
   */
  synchronized String id() {
    if (id == null) {
      id = create();
    }
    return id;
  }

  private String create() {
    DockerException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return docker.client().createNetworkCmd().withName(name).withDriver("bridge").withCheckDuplicate(true)
            .withIpam(new Network.Ipam().withConfig(new Network.Ipam.Config().withSubnet(pool.anySubnet())))
            // One container at a time: no build container ever needs to talk to another on its network.
            .withOptions(Map.of("com.docker.network.bridge.enable_icc", "false"))
            .exec().getId();
      } catch (ConflictException madeAlready) {
        // An earlier create whose answer was lost made it: the name is this attempt's alone.
        return docker.client().inspectNetworkCmd().withNetworkId(name).exec().getId();
      } catch (DockerException e) {
        if (!overlaps(e)) {
          throw new EngineUnavailable("could not create the build's network: " + e.getMessage(), e);
        }
        last = e; // another network on this engine has that subnet: pick another
      }
    }
    throw new EngineUnavailable("no free subnet in the build network pool " + pool + " after " + ATTEMPTS
        + " tries: " + last.getMessage(), last);
  }

  private static boolean overlaps(DockerException e) {
    // The engine's words for a subnet that another of its networks has: "Pool overlaps with other one on this
    // address space".
    return String.valueOf(e.getMessage()).contains("overlaps");
  }

  /** Removes the network if it was made; its containers are gone by now. */
  synchronized void remove() {
    if (id == null) {
      return;
    }
    // A stopped build's thread may be interrupted, and the HTTP client refuses to work for it: clear the flag for
    // the clean-up and raise it again afterwards.
    boolean interrupted = Thread.interrupted();
    try {
      docker.client().removeNetworkCmd(id).exec();
    } catch (NotFoundException gone) {
      // removed already
    } catch (RuntimeException e) {
      // Left for the sweeper, which removes networks of ended attempts as it does their containers.
    } finally {
      id = null;
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
