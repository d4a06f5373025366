package dev.kiln.worker.config;

import dev.kiln.worker.docker.DockerConnection;
import dev.kiln.worker.docker.DockerImageRepositories;
import dev.kiln.worker.docker.RegistryRepositories;
import dev.kiln.worker.engine.step.ImageRepositories;
import java.util.List;

/** Where this worker's template images live: its own engine, and the fleet's registry when one is configured. */
final class TemplateImagePlaces {
  private TemplateImagePlaces() {}

  static List<ImageRepositories> of(DockerConnection docker, String templateRegistry) {
    return templateRegistry == null || templateRegistry.isBlank()
        ? List.of(new DockerImageRepositories(docker))
        : List.of(new DockerImageRepositories(docker), new RegistryRepositories(templateRegistry));
  }
}
