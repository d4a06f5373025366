package dev.kiln.worker.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.transport.DockerHttpClient;
import dev.kiln.worker.engine.runner.EngineUnavailable;
import java.io.IOException;
import java.util.Base64;
import java.util.Optional;

/**
 * Asks the engine what a registry would give a build for an image ({@code GET /distribution/{name}/json} with the
 * build's {@code X-Registry-Auth}): the engine knows the mirrors and the registries' auth schemes, and nothing is
 * pulled. docker-java has no command for it, so it goes through the raw HTTP client.
 */
final class RegistryAccess {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DockerConnection docker;

  RegistryAccess(DockerConnection docker) {
    this.docker = docker;
  }

  /** The manifest digest the registry grants {@code auth} for {@code reference}; empty when it does not. */
  Optional<String> digestGranted(String reference, AuthConfig auth) {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET)
        .path("/v" + docker.apiVersion() + "/distribution/" + reference + "/json")
        .putHeader("X-Registry-Auth", header(auth)).build();
    try (DockerHttpClient.Response response = docker.http().execute(request)) {
      if (response.getStatusCode() != 200) {
        // Refused, unknown, or a registry that cannot be asked: the image is then pulled, which decides.
        return Optional.empty();
      }
      JsonNode digest = JSON.readTree(response.getBody()).path("Descriptor").path("digest");
      return digest.isTextual() ? Optional.of(digest.asText()) : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (RuntimeException e) {
      if (EngineUnavailable.isCause(e)) {
        throw new EngineUnavailable(e);
      }
      throw e;
    }
  }

  private static String header(AuthConfig auth) {
    try {
      return Base64.getUrlEncoder().encodeToString(JSON.writeValueAsBytes(auth));
    } catch (IOException e) {
      throw new IllegalStateException("an AuthConfig always encodes", e);
    }
  }
}
