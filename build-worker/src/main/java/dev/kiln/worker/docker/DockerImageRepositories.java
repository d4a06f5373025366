package dev.kiln.worker.docker;

import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Image;
import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.ImageRepositories;

/** {@link ImageRepositories} on the node's Docker engine. */
public final class DockerImageRepositories implements ImageRepositories {
  private final DockerConnection docker;

  public DockerImageRepositories(DockerConnection docker) {
    this.docker = docker;
  }

  @Override
  public int removeRepository(String repository) throws EngineException {
    int removed = 0;
    try {
      for (Image image : docker.client().listImagesCmd().withImageNameFilter(repository).exec()) {
        for (String tag : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
          if (tag.startsWith(repository + ":")) {
            removed += untag(tag);
          }
        }
      }
      return removed;
    } catch (RuntimeException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not remove the tags of " + repository + ": " + e.getMessage(), e);
    }
  }

  private int untag(String tag) {
    try {
      // Only the tag goes; layers shared with cached builds stay until the cache evicts them.
      docker.client().removeImageCmd(tag).withForce(false).exec();
      return 1;
    } catch (NotFoundException alreadyGone) {
      return 0;
    }
  }
}
