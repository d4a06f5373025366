package dev.kiln.worker.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.ImageConfig;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /commit} with the image's full config. docker-java's CommitCmd cannot set the entrypoint, so the
 * container's own {@code /bin/sh -c} would leak into the image.
 */
final class RawCommit {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DockerConnection docker;

  RawCommit(DockerConnection docker) {
    this.docker = docker;
  }

  String commit(String container, ImageConfig config) throws EngineException {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.POST)
        .path("/v" + docker.apiVersion() + "/commit?container=" + URLEncoder.encode(container, StandardCharsets.UTF_8))
        .putHeader("Content-Type", "application/json")
        .bodyBytes(body(config)).build();
    try (DockerHttpClient.Response response = docker.http().execute(request)) {
      JsonNode answer = JSON.readTree(response.getBody());
      if (response.getStatusCode() / 100 != 2 || !answer.hasNonNull("Id")) {
        throw new EngineException(FailureReason.ENGINE_ERROR, "commit failed: HTTP " + response.getStatusCode() + " " + answer, null);
      }
      return answer.get("Id").asText();
    } catch (IOException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "commit failed: " + e.getMessage(), e);
    }
  }

  private static byte[] body(ImageConfig config) throws EngineException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("Env", config.envList());
    body.put("Cmd", config.cmd());
    // An empty entrypoint would be filled from the container's (/bin/sh -c); [""] means "none".
    body.put("Entrypoint", config.entrypoint().isEmpty() ? List.of("") : config.entrypoint());
    body.put("WorkingDir", config.workdir());
    body.put("User", config.user());
    try {
      return JSON.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not encode the image config", e);
    }
  }
}
