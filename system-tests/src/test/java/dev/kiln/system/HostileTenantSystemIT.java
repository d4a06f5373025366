package dev.kiln.system;

import static dev.kiln.system.DockerCli.docker;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.devstack.Devstack;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Two organizations build on one worker at once, one of them hostile: its build probes the other's container and
 * Kiln's own ports, floods its log, runs a fork loop and fills its disk. The other's build still ends active within
 * 1.5× its solo median, measured in this run, and the hostile one reaches nothing and ends disk_limit_exceeded.
 * Each build has one of the machine's two cores.
 */
class HostileTenantSystemIT {
  static final String PREFIX = "hostile" + UUID.randomUUID().toString().substring(0, 8);
  static final String ADMIN_TOKEN = "hostile-admin-" + UUID.randomUUID();
  static final int SOLO_RUNS = 3;
  /**
   * One slot for each organization's build. Both run at once only because every slot can claim every request: with
   * three request partitions, two requests on one partition were built one after the other while the other slot
   * idled.
   */
  static final int SLOTS = 2;
  /** The other's first step listens here, so that a probe of its container has something to find. */
  static final int VICTIM_PORT = 8080;
  static final String PROBE = "probe() { if timeout 3 bash -c \\\"exec 3<>/dev/tcp/$2/$3\\\" 2>/dev/null;"
      + " then echo \\\"probe $1: open\\\"; else echo \\\"probe $1: closed\\\"; fi; }; ";

  @Test
  void aHostileBuild_reachesNothing_andTheOtherOrganizationsBuildKeepsItsPace() throws Exception {
    try (KilnService gateway = KilnService.gateway("hostile-gateway", PREFIX, Map.of("KILN_ADMIN_TOKEN", ADMIN_TOKEN));
        KilnService worker = KilnService.worker("hostile-worker", PREFIX, Map.of("KILN_WORKER_SLOTS",
            String.valueOf(SLOTS), "KILN_BUILD_TIMEOUT", "5m"))) {
      KilnApi victim = new KilnApi(gateway.baseUrl(), keyOfNewOrganization(gateway, "victim"));
      KilnApi hostile = new KilnApi(gateway.baseUrl(), keyOfNewOrganization(gateway, "hostile"));

      List<Double> solo = new ArrayList<>();
      for (int run = 0; run < SOLO_RUNS; run++) {
        String buildId = victim.build(victimBuild("solo-" + run));
        solo.add(secondsUntilActive(victim, buildId, System.nanoTime()));
      }
      double median = solo.stream().sorted().toList().get(SOLO_RUNS / 2);

      long submitted = System.nanoTime();
      String victimBuild = victim.build(victimBuild("beside-hostile"));
      String victimAddress = awaitListeningContainer(victimBuild);
      String hostileBuild = hostile.build(hostileBuild(victimAddress, gateway, worker));
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100))
          .until(() -> !docker("ps", "-q", "--filter", "name=kiln-build_" + hostileBuild + "_").isBlank());
      assertThat(victim.status(victimBuild).get("status").asString()).as("the other's build, once the hostile one "
          + "runs").isEqualTo("building");
      // The hostile probe's "closed" counts only if the other's container was listening after it: once the hostile
      // build runs its second step's container, ask from the node.
      java.util.Set<String> hostileContainers = new java.util.HashSet<>();
      await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(100)).until(() -> {
        hostileContainers.addAll(docker("ps", "-q", "--filter", "name=kiln-build_" + hostileBuild + "_").lines()
            .toList());
        return hostileContainers.size() >= 2;
      });
      assertThat(acceptsFromTheNode(victimAddress)).as("the other's container, after the hostile probe").isTrue();
      assertThat(plainContainerProbe(port(gateway))).as("Kiln's gateway port, from a container outside the sandbox")
          .anyMatch(line -> line.endsWith(": open"));
      double beside = secondsUntilActive(victim, victimBuild, submitted);

      JsonNode hostileEnd = hostile.awaitTerminal(hostileBuild, Duration.ofMinutes(3));
      List<String> hostileLog = hostile.allLogLines(hostileBuild, 1000);
      System.out.printf("victim solo %s s (median %.1f s); beside the hostile build %.1f s (%.2fx); hostile: %s%n",
          solo, median, beside, beside / median, hostileEnd);

      hostileLog.stream().filter(line -> line.startsWith("probe ") || line.startsWith("step ")).forEach(System.out::println);
      assertThat(hostileEnd.get("status").asString()).isEqualTo("failed");
      assertThat(hostileEnd.toString()).contains("disk_limit_exceeded");
      assertThat(hostileLog).as("what the hostile build reached")
          .contains("probe the other organization's container: closed")
          .filteredOn(line -> line.startsWith("probe kiln ")).isNotEmpty().allMatch(line -> line.endsWith(": closed"));
      assertThat(hostileLog).anyMatch(line -> line.startsWith("log truncated"));
      assertThat(beside).as("the other's build beside the hostile one, against its solo median of %.1f s", median)
          .isLessThanOrEqualTo(1.5 * median);
    }
  }

  /** Creates an organization through the admin API and issues it a key. */
  private static String keyOfNewOrganization(KilnService gateway, String name) throws Exception {
    return KilnAdmin.keyOfNewOrganization(gateway.baseUrl(), ADMIN_TOKEN, name, "--requests-per-minute", "1000");
  }

  private static double secondsUntilActive(KilnApi api, String buildId, long since) throws InterruptedException {
    JsonNode end = api.awaitTerminal(buildId, Duration.ofMinutes(3));
    double seconds = (System.nanoTime() - since) / 1e9;
    assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("active");
    return seconds;
  }

  /**
   * A build of fixed work: a step that listens for a few seconds, then five that hash 500 MB each on their core,
   * long enough for every hostile step to run beside it.
   * skipCache, so that every run does the same work.
   */
  private static String victimBuild(String name) {
    String listen = "timeout 10 perl -MIO::Socket::INET -e '$s=IO::Socket::INET->new(LocalPort=>" + VICTIM_PORT
        + ",Listen=>5,ReuseAddr=>1) or die; while($c=$s->accept()){close $c}' || true";
    String hash = "dd if=/dev/zero bs=1M count=500 2>/dev/null | sha256sum";
    return "{\"name\":\"victim-" + name + "-" + PREFIX + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,"
        + "\"memory\":512,\"diskGB\":2,\"skipCache\":true,\"steps\":[" + run(listen) + "," + run(hash) + ","
        + run(hash) + "," + run(hash) + "," + run(hash) + "," + run(hash) + "]}";
  }

  /** Probes, then floods its log, runs a fork loop until the pids limit, and fills its disk past 1 GB. */
  private static String hostileBuild(String victimAddress, KilnService gateway, KilnService worker)
      throws IOException {
    StringBuilder probes = new StringBuilder(PROBE).append("probe \\\"the other organization's container\\\" ")
        .append(victimAddress).append(' ').append(VICTIM_PORT).append("; ");
    for (String address : nodeAddresses()) {
      for (int port : List.of(brokerPort(), port(gateway), port(worker))) {
        probes.append("probe \\\"kiln ").append(address).append(':').append(port).append("\\\" ").append(address)
            .append(' ').append(port).append("; ");
      }
    }
    return "{\"name\":\"hostile-" + PREFIX + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,"
        + "\"memory\":512,\"diskGB\":1,\"steps\":[" + run(probes.toString()) + ","
        + run("timeout 5 yes || true") + ","
        + run("timeout 5 bash -c 'f() { f | f & }; f; wait' 2>/dev/null; true") + ","
        + run("dd if=/dev/zero of=/fill bs=1M count=4000") + "]}";
  }

  private static String run(String command) {
    return "{\"type\":\"RUN\",\"args\":[\"" + command + "\"]}";
  }

  /** The address of the other's first build container, once it accepts connections (seen from the node). */
  private static String awaitListeningContainer(String buildId) {
    return await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
      String ids = docker("ps", "-q", "--filter", "name=kiln-build_" + buildId + "_").trim();
      if (ids.isEmpty()) {
        return null;
      }
      String address = docker("inspect", "-f", "{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}",
          ids.lines().findFirst().orElseThrow()).trim();
      return acceptsFromTheNode(address) ? address : null;
    }, address -> address != null);
  }

  private static boolean acceptsFromTheNode(String address) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(address, VICTIM_PORT), 500);
      return true;
    } catch (IOException notYet) {
      return false;
    }
  }

  /** The probes of {@code port} on every node address, from a plain container on the default bridge. */
  private static List<String> plainContainerProbe(int port) throws IOException, InterruptedException {
    StringBuilder script = new StringBuilder(PROBE.replace("\\\"", "\""));
    for (String address : nodeAddresses()) {
      script.append("probe \"kiln ").append(address).append(':').append(port).append("\" ").append(address)
          .append(' ').append(port).append("; ");
    }
    return docker("run", "--rm", "debian:bookworm-slim", "bash", "-c", script.toString()).lines().toList();
  }

  private static int brokerPort() {
    String first = Devstack.shared().bootstrapServers().split(",")[0];
    return Integer.parseInt(first.substring(first.lastIndexOf(':') + 1));
  }

  private static int port(KilnService service) {
    return URI.create(service.baseUrl()).getPort();
  }

  /** This node's IPv4 addresses that a container could aim at. */
  private static List<String> nodeAddresses() throws IOException {
    List<String> addresses = new ArrayList<>();
    for (NetworkInterface nic : NetworkInterface.networkInterfaces().toList()) {
      if (!nic.isLoopback() && nic.isUp() && !nic.getName().startsWith("veth") && !nic.getName().startsWith("br-")) {
        nic.inetAddresses().filter(Inet4Address.class::isInstance).map(address -> address.getHostAddress())
            .forEach(addresses::add);
      }
    }
    return addresses;
  }
}
