package dev.kiln.worker.docker;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests against this machine's real Docker engine: one connection per test class. */
abstract class RealDockerEngine {
  static DockerConnection docker;

  @BeforeAll
  static void connect() {
    docker = DockerConnection.open("unix:///var/run/docker.sock", DockerConnection.DEFAULT_API_VERSION);
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }
}
