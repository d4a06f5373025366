package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.WaitContainerResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The cache kept under its size on a real engine: the oldest entries go first, the newest stay. */
class CacheEvictionIT extends RealDockerEngine {
  @Test
  void pastItsSize_theOldestEntriesAreEvicted_theNewestStay() throws Exception {
    String run = UUID.randomUUID().toString().substring(0, 8);
    String oldest = cacheEntry(run + "-a");
    Thread.sleep(1100); // image creation times have a resolution of one second
    String middle = cacheEntry(run + "-b");
    Thread.sleep(1100);
    String newest = cacheEntry(run + "-c");
    CacheEviction eviction = new CacheEviction(docker, Long.MAX_VALUE);
    long newestTwo = eviction.entries().stream()
        .filter(entry -> entry.tags().contains(middle) || entry.tags().contains(newest))
        .mapToLong(CacheEviction.Entry::ownBytes).sum();
    assertThat(newestTwo).as("each entry holds its own 1 MB").isGreaterThan(2_000_000);

    int removed = new CacheEviction(docker, newestTwo + 100_000).evict();

    assertThat(removed).isGreaterThanOrEqualTo(1);
    assertThat(exists(oldest)).isFalse();
    assertThat(exists(middle)).isTrue();
    assertThat(exists(newest)).isTrue();
    for (String tag : List.of(middle, newest)) {
      docker.client().removeImageCmd(tag).exec();
    }
  }

  /** An image holding 1 MB of its own, tagged as a cache entry. */
  private static String cacheEntry(String key) throws Exception {
    String container = docker.client().createContainerCmd("busybox:latest")
        .withCmd("sh", "-c", "head -c 1048576 /dev/urandom > /blob").exec().getId();
    docker.client().startContainerCmd(container).exec();
    docker.client().waitContainerCmd(container).exec(new WaitContainerResultCallback()).awaitStatusCode();
    docker.client().commitCmd(container).withRepository(DockerLayerCache.REPOSITORY).withTag(key).exec();
    docker.client().removeContainerCmd(container).exec();
    return DockerLayerCache.REPOSITORY + ":" + key;
  }

  private static boolean exists(String tag) {
    try {
      docker.client().inspectImageCmd(tag).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
