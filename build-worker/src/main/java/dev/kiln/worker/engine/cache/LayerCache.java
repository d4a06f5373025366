package dev.kiln.worker.engine.cache;

import java.util.Optional;

/**
 * The port to where cached layers live, by key: this node's image store, and the fleet's cache repository. A cache
 * that fails is a cache that misses: implementations log their errors instead of failing the build.
 */
public interface LayerCache {
  /** The image cached under {@code key}, made available on this node, if there is one. */
  Optional<String> find(String key);

  /** Records {@code image} as the result under {@code key}. */
  void remember(String key, String image);

  /** A cache that never hits and keeps nothing. */
  LayerCache NONE = new LayerCache() {
    @Override
    public Optional<String> find(String key) {
      return Optional.empty();
    }

    @Override
    public void remember(String key, String image) {}
  };
}
