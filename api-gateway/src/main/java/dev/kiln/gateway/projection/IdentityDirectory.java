package dev.kiln.gateway.projection;

import dev.kiln.schema.ApiKey;
import dev.kiln.schema.Organization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The organizations and issued API keys, from their compacted topics: every gateway reads both whole, so a key
 * issued or revoked through any gateway is known to all within a poll. Keys are found by their SHA-256 only.
 */
public final class IdentityDirectory {
  private final Map<String, Organization> organizations = new ConcurrentHashMap<>();
  private final Map<String, ApiKey> keysById = new ConcurrentHashMap<>();
  private final Map<String, String> keyIdByDigest = new ConcurrentHashMap<>();
  private final ChangeSignal changes = new ChangeSignal();
  private final Clock clock;

  public IdentityDirectory(Clock clock) {
    this.clock = clock;
  }

  /** Folds one record of the organizations or keys topic in. */
  public void accept(ConsumerRecord<String, Object> record) {
    if (record.value() instanceof Organization organization) {
      organizations.put(organization.getId(), organization);
    } else if (record.value() instanceof ApiKey key) {
      keysById.merge(key.getKeyId(), key, IdentityDirectory::neverLessRestricted);
      keyIdByDigest.put(key.getSha256(), key.getKeyId());
    } else {
      return;
    }
    changes.changed();
  }

  /** The organization a key with this digest authenticates, if it is issued, not revoked and not expired. */
  public Optional<String> organizationOfDigest(String sha256) {
    String keyId = keyIdByDigest.get(sha256);
    ApiKey key = keyId == null ? null : keysById.get(keyId);
    return key != null && valid(key, clock.instant()) ? Optional.of(key.getOrganizationId()) : Optional.empty();
  }

  public Optional<Organization> organization(String id) {
    return Optional.ofNullable(organizations.get(id));
  }

  public List<Organization> organizations() {
    return organizations.values().stream().sorted(Comparator.comparing(Organization::getId)).toList();
  }

  public Optional<ApiKey> key(String keyId) {
    return Optional.ofNullable(keysById.get(keyId));
  }

  public List<ApiKey> keys(String organizationId) {
    return keysById.values().stream().filter(key -> key.getOrganizationId().equals(organizationId))
        .sorted(Comparator.comparing(ApiKey::getCreatedAt)).toList();
  }

  /** Waits up to {@code wait} until this gateway has read a record it (or another gateway) just wrote. */
  public <T> Optional<T> await(java.util.function.Supplier<Optional<T>> lookup, Duration wait) {
    return changes.await(lookup, wait);
  }

  /**
   * The newer record of a key, except that a revocation is never undone and an expiry never pushed later: a rotate
   * that read the key before a concurrent revoke must not bring it back when it writes its copy.
   */
  static ApiKey neverLessRestricted(ApiKey known, ApiKey next) {
    ApiKey.Builder merged = ApiKey.newBuilder(next);
    if (known.getRevokedAt() != null && (next.getRevokedAt() == null || known.getRevokedAt().isBefore(next.getRevokedAt()))) {
      merged.setRevokedAt(known.getRevokedAt());
    }
    if (known.getExpiresAt() != null && (next.getExpiresAt() == null || known.getExpiresAt().isBefore(next.getExpiresAt()))) {
      merged.setExpiresAt(known.getExpiresAt());
    }
    return merged.build();
  }

  /** A key's state as listings show it. */
  public static String status(ApiKey key, Instant now) {
    if (key.getRevokedAt() != null) {
      return "revoked";
    }
    if (key.getExpiresAt() != null) {
      return now.isBefore(key.getExpiresAt()) ? "rotating" : "expired";
    }
    return "active";
  }

  private static boolean valid(ApiKey key, Instant now) {
    return key.getRevokedAt() == null && (key.getExpiresAt() == null || now.isBefore(key.getExpiresAt()));
  }
}
