package dev.kiln.worker.engine.plan;

import dev.kiln.template.ImageReferences;
import java.util.Locale;
import java.util.Optional;

/**
 * Which images one organization's build may start from, besides what it may pull itself. Kiln's own repositories
 * hold other tenants' work: {@code kiln/<org>/…} (templates on a node) and the template registry's
 * {@code kiln/<org>/…} belong to that organization alone (building FROM your own template is a feature), while the
 * layer cache ({@code kiln/cache} on a node, the cache repository in the registry) is never a base for anyone.
 *
 * @param organizationId whose build this is
 * @param templateRegistry host[:port] of the fleet's template registry, or null
 * @param cacheRepository host[:port]/path of the shared layer cache, or null
 * @param sharedCache whether cache entries are shared across organizations (off: each organization has its own)
 */
public record BaseImageAccess(String organizationId, String templateRegistry, String cacheRepository,
    boolean sharedCache) {

  /** The access of a build whose template goes to {@code targetRepository} ({@code kiln/<org>/<name>}). */
  public static BaseImageAccess forTarget(String targetRepository) {
    String[] parts = targetRepository.split("/");
    return new BaseImageAccess(parts.length >= 3 && parts[0].equals("kiln") ? parts[1] : "", null, null, false);
  }

  /** Why this build may not start from {@code reference}; empty when it may (subject to its own pull rights). */
  public Optional<String> refusal(String reference) {
    String repository = repositoryOf(reference);
    if (isOwnTemplate(reference)) {
      return Optional.empty();
    }
    boolean kilnLocal = repository.startsWith("kiln/");
    boolean otherTemplates = templateRegistry != null && !templateRegistry.isBlank()
        && repository.startsWith(templateRegistry.toLowerCase(Locale.ROOT) + "/kiln/");
    boolean cache = cacheRepository != null && !cacheRepository.isBlank()
        && (repository + "/").startsWith(cacheRepository.toLowerCase(Locale.ROOT) + "/");
    return kilnLocal || otherTemplates || cache
        ? Optional.of(reference + " is not an image this organization may build from") : Optional.empty();
  }

  /** Whether {@code reference} is one of this organization's own templates, which Kiln built and may reuse. */
  public boolean isOwnTemplate(String reference) {
    if (organizationId == null || organizationId.isEmpty()) {
      return false;
    }
    String repository = repositoryOf(reference);
    String own = "kiln/" + organizationId.toLowerCase(Locale.ROOT) + "/";
    return repository.startsWith(own) || (templateRegistry != null && !templateRegistry.isBlank()
        && repository.startsWith(templateRegistry.toLowerCase(Locale.ROOT) + "/" + own));
  }

  /** What the layer cache's keys are scoped by: the organization, or one scope for all when shared. */
  public String cacheScope() {
    return sharedCache ? "" : "org:" + organizationId;
  }

  /**
   * The repository as the engine resolves it: Docker Hub's names ({@code docker.io/kiln/x} is the local
   * {@code kiln/x}) folded, lower case, without tag or digest.
   */
  static String repositoryOf(String reference) {
    String name = ImageReferences.repository(reference.toLowerCase(Locale.ROOT));
    for (String hub : new String[] {"docker.io/", "index.docker.io/", "registry-1.docker.io/"}) {
      if (name.startsWith(hub)) {
        name = name.substring(hub.length());
      }
    }
    return name.startsWith("library/") ? name.substring("library/".length()) : name;
  }
}
