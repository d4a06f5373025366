package dev.kiln.worker.config;

import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.docker.DockerLayerCache;
import dev.kiln.worker.docker.RegistryLayerCache;
import dev.kiln.worker.engine.cache.LayerCache;

/** The node's layer cache, shared through the fleet's registry when a cache repository is configured. */
final class NodeLayerCache {
  private NodeLayerCache() {}

  static LayerCache of(DockerConnection docker, String cacheRepository) {
    DockerLayerCache local = new DockerLayerCache(docker);
    return cacheRepository == null || cacheRepository.isBlank() ? local
        : new RegistryLayerCache(docker, local, cacheRepository);
  }
}
