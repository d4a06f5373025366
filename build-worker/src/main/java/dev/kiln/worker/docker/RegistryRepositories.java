package dev.kiln.worker.docker;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.ImageRepositories;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deleted template's tags in the fleet's registry, removed through the registry's HTTP API (list the tags, resolve
 * each to its manifest digest, delete the manifest). Plain HTTP for a registry on the loopback interface, HTTPS
 * otherwise; the registry must allow deletes.
 */
public final class RegistryRepositories implements ImageRepositories {
  private static final String MANIFESTS = "application/vnd.docker.distribution.manifest.v2+json, "
      + "application/vnd.oci.image.manifest.v1+json";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final String baseUrl;

  /** {@code registry}: {@code host[:port]}, as in image references. */
  public RegistryRepositories(String registry) {
    boolean loopback = registry.startsWith("127.") || registry.startsWith("localhost");
    this.baseUrl = (loopback ? "http://" : "https://") + registry + "/v2/";
  }

  @Override
  public int removeRepository(String repository) throws EngineException {
    try {
      HttpResponse<String> tags = send(HttpRequest.newBuilder(URI.create(baseUrl + repository + "/tags/list")).GET());
      if (tags.statusCode() == 404) {
        return 0;
      }
      int removed = 0;
      for (JsonNode tag : JSON.readTree(tags.body()).path("tags")) {
        Optional<String> digest = digestOf(repository, tag.asString());
        if (digest.isPresent() && delete(repository, digest.get())) {
          removed++;
        }
      }
      return removed;
    } catch (IOException | RuntimeException e) {
      throw new EngineException(FailureReason.REGISTRY_ERROR, "could not remove " + repository + " from the registry: "
          + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(FailureReason.REGISTRY_ERROR, "interrupted while removing " + repository, e);
    }
  }

  private Optional<String> digestOf(String repository, String tag) throws IOException, InterruptedException {
    HttpResponse<String> head = send(HttpRequest.newBuilder(URI.create(baseUrl + repository + "/manifests/" + tag))
        .header("Accept", MANIFESTS).method("HEAD", HttpRequest.BodyPublishers.noBody()));
    return head.statusCode() == 200 ? head.headers().firstValue("Docker-Content-Digest") : Optional.empty();
  }

  private boolean delete(String repository, String digest) throws IOException, InterruptedException {
    int status = send(HttpRequest.newBuilder(URI.create(baseUrl + repository + "/manifests/" + digest)).DELETE())
        .statusCode();
    if (status != 202 && status != 404) {
      throw new IOException("DELETE of " + repository + "@" + digest + " answered " + status);
    }
    return status == 202;
  }

  private static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
  }
}
