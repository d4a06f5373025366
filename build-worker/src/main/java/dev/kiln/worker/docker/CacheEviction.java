package dev.kiln.worker.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the node's layer cache under a size: past it, the oldest entries' {@code kiln/cache:<key>} tags are removed
 * (Docker then deletes each image no tag or child holds any more, parents with it). The size counted is what the
 * cache entries hold alone ({@code Size - SharedSize} from {@code GET /system/df}), so base images and templates,
 * which removing cache tags would not free, do not count.
 */
public final class CacheEviction {
  private static final Logger log = LoggerFactory.getLogger(CacheEviction.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DockerConnection docker;
  private final long maxBytes;

  public CacheEviction(DockerConnection docker, long maxBytes) {
    this.docker = docker;
    this.maxBytes = maxBytes;
  }

  /** One cached image: its cache tags, when it was made, what it holds alone. */
  record Entry(List<String> tags, long created, long ownBytes) {}

  /** Evicts oldest-first until the cache fits; returns how many tags were removed. */
  public int evict() throws IOException {
    List<Entry> entries = new ArrayList<>(entries());
    long total = entries.stream().mapToLong(Entry::ownBytes).sum();
    entries.sort(Comparator.comparingLong(Entry::created));
    int removed = 0;
    for (Entry entry : entries) {
      if (total <= maxBytes) {
        break;
      }
      for (String tag : entry.tags()) {
        removed += untag(tag);
      }
      total -= entry.ownBytes();
    }
    if (removed > 0) {
      log.info("layer cache over {} MB: removed {} oldest entries", maxBytes >> 20, removed);
    }
    return removed;
  }

  /** Evicts, logging rather than throwing: a scheduled pass must not die on a flaky engine. */
  public void evictQuietly() {
    try {
      evict();
    } catch (IOException | RuntimeException e) {
      log.warn("layer cache eviction failed: {}", e.toString());
    }
  }

  List<Entry> entries() throws IOException {
    DockerHttpClient.Request request = DockerHttpClient.Request.builder()
        .method(DockerHttpClient.Request.Method.GET).path("/v" + docker.apiVersion() + "/system/df").build();
    try (DockerHttpClient.Response response = docker.http().execute(request)) {
      List<Entry> entries = new ArrayList<>();
      for (JsonNode image : JSON.readTree(response.getBody()).path("Images")) {
        List<String> tags = new ArrayList<>();
        image.path("RepoTags").forEach(tag -> {
          if (tag.asText().startsWith(DockerLayerCache.REPOSITORY + ":")) {
            tags.add(tag.asText());
          }
        });
        if (!tags.isEmpty()) {
          long shared = Math.max(0, image.path("SharedSize").asLong(0));
          entries.add(new Entry(tags, image.path("Created").asLong(), image.path("Size").asLong() - shared));
        }
      }
      return entries;
    }
  }

  private int untag(String tag) {
    try {
      docker.client().removeImageCmd(tag).withForce(false).exec();
      return 1;
    } catch (NotFoundException gone) {
      return 0;
    } catch (RuntimeException inUse) {
      // A container of the image is running (a build uses it right now): it stays for the next pass.
      return 0;
    }
  }
}
