package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.kiln.worker.engine.cache.LayerCache;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The layer cache in this node's image store: an entry is a tag {@code kiln/cache:<key>} on the image a step built.
 * The tag keeps the image from being pruned as dangling and makes a lookup one inspect.
 */
public final class DockerLayerCache implements LayerCache {
  public static final String REPOSITORY = "kiln/cache";
  private static final Logger log = LoggerFactory.getLogger(DockerLayerCache.class);
  private final DockerConnection docker;

  public DockerLayerCache(DockerConnection docker) {
    this.docker = docker;
  }

  @Override
  public Optional<String> find(String key) {
    try {
      return Optional.of(docker.client().inspectImageCmd(REPOSITORY + ":" + key).exec().getId());
    } catch (NotFoundException miss) {
      return Optional.empty();
    } catch (RuntimeException e) {
      log.warn("layer cache lookup of {} failed, building instead: {}", key, e.toString());
      return Optional.empty();
    }
  }

  @Override
  public void remember(String key, String image) {
    try {
      docker.client().tagImageCmd(image, REPOSITORY, key).withForce().exec();
    } catch (RuntimeException e) {
      log.warn("could not cache {} as {}: {}", image, key, e.toString());
    }
  }
}
