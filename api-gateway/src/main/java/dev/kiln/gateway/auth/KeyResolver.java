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

  /** One digest per request, looked up in both places. */
  public Optional<String> organizationOf(String key) {
    String sha256 = KeyDigests.sha256Hex(key);
    Optional<String> organization = configured.organizationOfDigest(sha256);
    return organization.isPresent() ? organization : issued.organizationOfDigest(sha256);
  }
}
