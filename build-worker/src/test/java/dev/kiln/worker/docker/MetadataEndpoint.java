package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A stand-in for a cloud's metadata endpoint: 169.254.169.254 on port 80 in a network namespace of its own, one
 * routed hop from the node as on a cloud host, so a container reaches it through the node's forwarding (not as one
 * of the node's own addresses). Needs root and iproute2.
 */
final class MetadataEndpoint implements AutoCloseable {
  static final String ADDRESS = "169.254.169.254";
  static final int PORT = 80;
  private final String namespace;
  private final String hostSide;
  private final Process listener;

  private MetadataEndpoint(String namespace, String hostSide, Process listener) {
    this.namespace = namespace;
    this.hostSide = hostSide;
    this.listener = listener;
  }

  /** Makes the namespace, its link to the node, and a listener that accepts and closes connections. */
  static MetadataEndpoint start(String id) throws IOException, InterruptedException {
    String namespace = "kiln-meta-" + id;
    String hostSide = "kmeta" + id.substring(0, 4);
    String inside = "kmetb" + id.substring(0, 4);
    ip("netns", "add", namespace);
    ip("link", "add", hostSide, "type", "veth", "peer", "name", inside);
    ip("link", "set", inside, "netns", namespace);
    ip("addr", "add", "169.254.169.253/30", "dev", hostSide);
    ip("link", "set", hostSide, "up");
    ip("-n", namespace, "addr", "add", ADDRESS + "/30", "dev", inside);
    ip("-n", namespace, "link", "set", inside, "up");
    ip("-n", namespace, "link", "set", "lo", "up");
    ip("-n", namespace, "route", "add", "default", "via", "169.254.169.253");
    Process listener = new ProcessBuilder("ip", "netns", "exec", namespace, "perl", "-MIO::Socket::INET", "-e",
        "$s=IO::Socket::INET->new(LocalAddr=>'" + ADDRESS + "',LocalPort=>" + PORT
            + ",Listen=>5,ReuseAddr=>1) or die $!; while($c=$s->accept()){close $c}")
        .redirectErrorStream(true).start();
    return new MetadataEndpoint(namespace, hostSide, listener);
  }

  private static void ip(String... arguments) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of("ip"));
    command.addAll(List.of(arguments));
    Process ip = new ProcessBuilder(command).redirectErrorStream(true).start();
    String said = new String(ip.getInputStream().readAllBytes());
    assertThat(ip.waitFor(30, TimeUnit.SECONDS) && ip.exitValue() == 0).as(command + ": " + said).isTrue();
  }

  @Override
  public void close() throws IOException, InterruptedException {
    listener.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    new ProcessBuilder("ip", "link", "del", hostSide).start().waitFor(10, TimeUnit.SECONDS);
    new ProcessBuilder("ip", "netns", "del", namespace).start().waitFor(10, TimeUnit.SECONDS);
  }
}
