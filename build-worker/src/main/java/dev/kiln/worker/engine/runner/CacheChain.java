package dev.kiln.worker.engine.runner;

import dev.kiln.worker.engine.cache.CacheKeys;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.FileSource;
import java.io.IOException;
import java.util.Optional;

/**
 * Follows one build along its cache keys: each step's key chains from the one before, and the build comes from the
 * cache only while every earlier step did — after the first miss, or from the first step that skips the cache,
 * everything is built.
 */
final class CacheChain {
  private final LayerCache cache;
  private final int cacheableSteps;
  private String key;
  private boolean cached;

  CacheChain(LayerCache cache, String scope, String baseDigest, int cacheableSteps) {
    this.cache = cache;
    this.cacheableSteps = cacheableSteps;
    this.key = CacheKeys.base(scope, baseDigest);
    this.cached = cacheableSteps > 0;
  }

  /**
   * Moves to step {@code index}; the image cached for it while the build still hits. A metadata step has an entry
   * too (its parent's image), so that a changed ENV is a miss like a changed RUN.
   */
  Optional<String> next(int index, BuildStep step, FileSource files) throws IOException {
    key = CacheKeys.step(key, step.cacheInput(files));
    Optional<String> hit = cached && index < cacheableSteps ? cache.find(key) : Optional.empty();
    cached = hit.isPresent();
    return hit;
  }

  /** Whether every step so far came from the cache. */
  boolean cached() {
    return cached;
  }

  /** Keeps the image the current step built, under its key. */
  void remember(String image) {
    cache.remember(key, image);
  }

  /** The final image cached for these steps, when every step came from the cache. */
  Optional<String> findFinal() {
    return cached ? cache.find(CacheKeys.finalImage(key)) : Optional.empty();
  }

  void rememberFinal(String image) {
    cache.remember(CacheKeys.finalImage(key), image);
  }
}
