package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.engine.step.EngineException;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet's layer cache: this node's cache first, then a cache repository in the fleet's registry (like kaniko's
 * {@code --cache-repo}), where every miss built here is pushed as {@code <repository>:<key>}. A hit there is pulled
 * and kept on this node too; its image id is the one the building node had, since an image's id is its config's
 * digest.
 */
public final class RegistryLayerCache implements LayerCache {
  private static final Logger log = LoggerFactory.getLogger(RegistryLayerCache.class);
  private static final long TRANSFER_MINUTES = 10;
  private final DockerConnection docker;
  private final DockerLayerCache local;
  private final String repository;

  /** {@code repository}: {@code host[:port]/path} of the cache repository, e.g. {@code registry:5000/kiln-cache}. */
  public RegistryLayerCache(DockerConnection docker, DockerLayerCache local, String repository) {
    this.docker = docker;
    this.local = local;
    this.repository = repository;
  }

  @Override
  public Optional<String> find(String key) {
    Optional<String> here = local.find(key);
    return here.isPresent() ? here : pull(key);
  }

  @Override
  public void remember(String key, String image) {
    local.remember(key, image);
    try {
      docker.client().tagImageCmd(image, repository, key).withForce().exec();
      ImagePush.push(docker, repository, key);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (EngineException | RuntimeException e) {
      log.warn("layer {} stays on this node: {}", key, e.getMessage());
    }
  }

  private Optional<String> pull(String key) {
    try {
      docker.client().pullImageCmd(repository).withTag(key).start()
          .awaitCompletion(TRANSFER_MINUTES, TimeUnit.MINUTES);
      String id = docker.client().inspectImageCmd(repository + ":" + key).exec().getId();
      local.remember(key, id);
      log.info("layer {} pulled from the cache repository {}", key, repository);
      return Optional.of(id);
    } catch (NotFoundException miss) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    } catch (RuntimeException e) {
      // A tag the registry does not have comes back as an error in the pull stream: an ordinary miss.
      log.debug("no layer {} in {}: {}", key, repository, e.toString());
      return Optional.empty();
    }
  }
}
