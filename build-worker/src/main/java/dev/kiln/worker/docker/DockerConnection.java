package dev.kiln.worker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;

/**
 * One connection to a Docker engine: docker-java's client plus its raw HTTP client for the calls docker-java
 * cannot make (a commit with a full config).
 */
public record DockerConnection(DockerClient client, DockerHttpClient http, String apiVersion) implements Closeable {
  /** docker-java does not negotiate: pin a version every supported engine (20.10+) speaks. */
  public static final String DEFAULT_API_VERSION = "1.41";

  public static DockerConnection open(String dockerHost, String apiVersion) {
    DefaultDockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder()
        .withDockerHost(dockerHost).withApiVersion(apiVersion).build();
    DockerHttpClient http = new ApacheDockerHttpClient.Builder()
        .dockerHost(config.getDockerHost()).sslConfig(config.getSSLConfig())
        .maxConnections(64).connectionTimeout(Duration.ofSeconds(10)).build();
    DockerConnection connection = new DockerConnection(DockerClientImpl.getInstance(config, http), http, apiVersion);
    // The first call costs 0.3-0.7 s (class loading, connection): pay it at start-up, not in the first build.
    connection.client().pingCmd().exec();
    return connection;
  }

  /** The engine's id: containers are labelled with it so that a fleet can tell whose engine holds what. */
  public String engineId() {
    return client.infoCmd().exec().getId();
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
