package dev.kiln.gateway.auth;

import dev.kiln.gateway.projection.IdentityDirectory;
import java.util.Optional;

/** Finds the organization of a presented key: first the keys from the environment, then the issued ones. */
public final class KeyResolver {
  private final ApiKeys configured;
  private final IdentityDirectory issued;

  public KeyResolver(ApiKeys configured, IdentityDirectory issued) {
    this.configured = configured;
    this.issued = issued;
  }

  public Optional<String> organizationOf(String key) {
    Optional<String> organization = configured.organizationOf(key);
    return organization.isPresent() ? organization : issued.organizationOfDigest(KeyDigests.sha256Hex(key));
  }
}
