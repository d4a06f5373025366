package dev.kiln.worker.docker;

import dev.kiln.worker.sweep.BuildContainerName;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/** Base of the tests against this machine's real Docker engine: one connection per test class. */
abstract class RealDockerEngine {
  static DockerConnection docker;

  @BeforeAll
  static void connect() {
    docker = DockerConnection.open("unix:///var/run/docker.sock", DockerConnection.DEFAULT_API_VERSION);
  }

  /** The engines a test made: closed after it, so that no build network outlives its test. */
  private static final List<DockerImageEngine> ENGINES = new ArrayList<>();

  /** An engine for the attempt {@code owner}, with the default hardening and network pool. */
  static synchronized DockerImageEngine engine(BuildContainerName owner) {
    DockerImageEngine engine = new DockerImageEngine(docker, owner);
    ENGINES.add(engine);
    return engine;
  }

  @AfterEach
  void closeEngines() {
    synchronized (RealDockerEngine.class) {
      ENGINES.forEach(DockerImageEngine::close);
      ENGINES.clear();
    }
  }

  @AfterAll
  static void close() throws Exception {
    docker.close();
  }
}
