package dev.kiln.devstack;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortsTest {

  @Test
  void free_isBelowTheKernelsEphemeralRange_soNoOutgoingConnectionTakesIt() throws Exception {
    // Before: the kernel picked the port, from the range it also gives outgoing sockets (CI: a worker could not bind).
    int ephemeralLow = Integer.parseInt(
        Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0).trim().split("\\s+")[0]);

    for (int i = 0; i < 50; i++) {
      assertThat(Ports.free()).isLessThan(ephemeralLow).isGreaterThanOrEqualTo(10_000);
    }
  }

  @Test
  void free_neverGivesAPortTwice_andOnlyOneThatCanBeBound() throws Exception {
    Set<Integer> given = new HashSet<>();
    for (int i = 0; i < 200; i++) {
      int port = Ports.free();
      assertThat(given.add(port)).as("port %d given twice", port).isTrue();
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        assertThat(socket.getLocalPort()).isEqualTo(port);
      }
    }
  }
}
