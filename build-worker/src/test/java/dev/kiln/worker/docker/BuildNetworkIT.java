package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.dockerjava.api.model.Container;
import dev.kiln.worker.engine.RecordingListener;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.sweep.BuildContainerName;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a build's network reaches, probed from a RUN step: nothing of this node (a stand-in for Kiln's broker,
 * gateway and management ports) but the one port the test machine's sandbox firewall allows, no container on the
 * default bridge, no other build's container and no metadata endpoint. The same probes from a plain container on the default bridge
 * show that each target answers, so a "closed" is the sandbox's doing. Needs the firewall that {@code .ci/run}
 * applies ({@code ops/host/sandbox-firewall.sh}).
 */
class BuildNetworkIT extends RealDockerEngine {
  /** The node port the test machine's firewall opens to builds (see {@code .ci/run}). */
  static final int ALLOWED_NODE_PORT = 3142;
  private static final String PROBE_IMAGE = "debian:bookworm-slim";
  /**
   * Sets {@code $gateway} to the default route's gateway, this build network's bridge on the node, read from
   * /proc/net/route (little-endian hex) in plain sh.
   */
  static final String GATEWAY = "while read -r iface dest gw rest; do [ \"$dest\" = 00000000 ] && g=$gw; done"
      + " < /proc/net/route; set -- $(echo $g | sed 's/../& /g');"
      + " gateway=$((0x$4)).$((0x$3)).$((0x$2)).$((0x$1)); ";
  private final String run = UUID.randomUUID().toString().substring(0, 8);

  @Test
  void buildStep_reachesNoServiceOfTheNode_noContainerOfTheBridge_noOtherBuild() throws Exception {
    try (ServerSocket kilnService = listen(0); ServerSocket packageCache = listen(ALLOWED_NODE_PORT);
        MetadataEndpoint metadata = MetadataEndpoint.start(run)) {
      String bridgeContainer = startListenerOnTheDefaultBridge();
      CompletableFuture<BuildOutcome> otherBuild = CompletableFuture.supplyAsync(this::listeningBuild);
      try {
        String otherBuildAddress = awaitOtherBuildsAddress();
        Map<String, String> targets = new LinkedHashMap<>();
        for (String address : nodeAddresses()) {
          targets.put("node " + address, address + " " + kilnService.getLocalPort());
        }
        targets.put("bridge container", addressOf(bridgeContainer) + " 8080");
        targets.put("other build", otherBuildAddress + " 8080");
        targets.put("metadata", MetadataEndpoint.ADDRESS + " " + MetadataEndpoint.PORT);

        int kilnPort = kilnService.getLocalPort();
        List<String> fromPlainContainer = plainContainerProbe(probeScript(targets, false, kilnPort));
        RecordingListener listener = new RecordingListener();
        BuildOutcome probed = build("probe", listener, probeScript(targets, true, kilnPort));

        assertThat(probed.succeeded()).as(probed.errorMessage() + "\n" + listener.lines).isTrue();
        assertThat(fromPlainContainer).as("the targets answer a container outside the sandbox")
            .contains("node 172.17.0.1: open", "bridge container: open", "metadata: open");
        assertThat(listener.lines).as("what the build reached")
            .contains("allowed node port: open")
            .contains("bridge container: closed", "other build: closed", "metadata: closed")
            .contains("node at the gateway: closed")
            .filteredOn(line -> line.startsWith("node ")).isNotEmpty().allMatch(line -> line.endsWith(": closed"));
      } finally {
        // Killing its step ends the other build (failed), before its engine's network is removed after the test.
        docker.client().listContainersCmd().withNameFilter(List.of(BuildContainerName.PREFIX + "listener-" + run))
            .exec().forEach(container -> docker.client().killContainerCmd(container.getId()).exec());
        otherBuild.get(60, TimeUnit.SECONDS);
        docker.client().removeContainerCmd(bridgeContainer).withForce(true).exec();
      }
    }
  }

  @Test
  void buildNetwork_isGoneOnceTheEngineIsClosed() throws Exception {
    DockerImageEngine engine = engine(new BuildContainerName("net-" + run, 1, "w-it", 1));
    BuildPlan plan = new BuildPlan(PROBE_IMAGE, DockerImageEngineIT.LIMITS, List.of(new RunStep("true")),
        "kiln/it/network", run);
    assertThat(new BuildRunner().run(plan, engine, DockerImageEngineIT.NO_FILES, new RecordingListener())
        .succeeded()).isTrue();
    assertThat(networksOf("net-" + run)).hasSize(1);

    engine.close();

    assertThat(networksOf("net-" + run)).isEmpty();
  }

  private static List<String> networksOf(String buildId) {
    return docker.client().listNetworksCmd().withNameFilter(BuildContainerName.PREFIX + buildId).exec().stream()
        .map(com.github.dockerjava.api.model.Network::getName).toList();
  }

  private BuildOutcome build(String name, RecordingListener listener, String command) {
    BuildPlan plan = new BuildPlan(PROBE_IMAGE, DockerImageEngineIT.LIMITS,
        List.<BuildStep>of(new RunStep(command)), "kiln/it/network-" + name, run);
    try {
      return new BuildRunner().run(plan, engine(new BuildContainerName(name + "-" + run, 1, "w-it", 1)),
          DockerImageEngineIT.NO_FILES, listener);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Another build whose step listens on port 8080 until it is stopped. */
  private BuildOutcome listeningBuild() {
    return build("listener", new RecordingListener(), listenCommand());
  }

  /** Accepts and closes connections on port 8080, with the perl every Debian image has. */
  private static String listenCommand() {
    return "exec perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalPort=>8080,Listen=>5,ReuseAddr=>1)"
        + " or die; while($c=$s->accept()){close $c}'";
  }

  private String awaitOtherBuildsAddress() {
    return await().atMost(Duration.ofSeconds(60)).until(() -> {
      List<Container> running = docker.client().listContainersCmd()
          .withNameFilter(List.of(BuildContainerName.PREFIX + "listener-" + run)).exec();
      return running.isEmpty() ? null : addressOf(running.get(0).getId());
    }, address -> address != null && !address.isEmpty() && acceptsFromTheNode(address));
  }

  /** Whether the other build's listener takes a connection from the node: a "closed" from a build then counts. */
  private static boolean acceptsFromTheNode(String address) {
    try (java.net.Socket socket = new java.net.Socket()) {
      socket.connect(new InetSocketAddress(address, 8080), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  private static String addressOf(String container) {
    return docker.client().inspectContainerCmd(container).exec().getNetworkSettings().getNetworks().values()
        .iterator().next().getIpAddress();
  }

  private String startListenerOnTheDefaultBridge() {
    String id = docker.client().createContainerCmd(PROBE_IMAGE).withName("kiln-it-bridge-" + run)
        .withEntrypoint("/bin/sh", "-c").withCmd(listenCommand()).exec().getId();
    docker.client().startContainerCmd(id).exec();
    return id;
  }

  /**
   * A bash script that prints {@code <target>: open|closed} for each {@code name -> "address port"}; from inside
   * a build it also probes the node at the build's own gateway, at {@code kilnPort} and at the allowed port.
   */
  private static String probeScript(Map<String, String> targets, boolean inBuild, int kilnPort) {
    StringBuilder script = new StringBuilder("probe() { if timeout 3 bash -c \"exec 3<>/dev/tcp/$2/$3\""
        + " 2>/dev/null; then echo \"$1: open\"; else echo \"$1: closed\"; fi; }; ");
    targets.forEach((name, target) -> script.append("probe '").append(name).append("' ").append(target)
        .append("; "));
    if (inBuild) {
      script.append(GATEWAY).append("probe 'node at the gateway' $gateway ").append(kilnPort)
          .append("; probe 'allowed node port' $gateway ").append(ALLOWED_NODE_PORT).append(";");
    }
    return script.toString();
  }

  private static List<String> plainContainerProbe(String script) throws IOException, InterruptedException {
    Process probe = new ProcessBuilder("docker", "run", "--rm", PROBE_IMAGE, "bash", "-c", script)
        .redirectErrorStream(true).start();
    String said = new String(probe.getInputStream().readAllBytes());
    assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return said.lines().toList();
  }

  /** Every IPv4 address of this node that a container could aim at, but those of build networks. */
  private static List<String> nodeAddresses() throws IOException {
    List<String> addresses = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (nic.isLoopback() || !nic.isUp() || nic.getName().startsWith("veth")) {
        continue;
      }
      nic.inetAddresses().filter(Inet4Address.class::isInstance).map(address -> address.getHostAddress())
          .filter(address -> !address.startsWith("10.213.")).forEach(addresses::add);
    }
    return addresses;
  }

  private static ServerSocket listen(int port) throws IOException {
    ServerSocket socket = new ServerSocket();
    socket.setReuseAddress(true);
    socket.bind(new InetSocketAddress("0.0.0.0", port));
    Thread acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          socket.accept().close();
        } catch (IOException closed) {
          return;
        }
      }
    });
    acceptor.setDaemon(true);
    acceptor.start();
    return socket;
  }
}
