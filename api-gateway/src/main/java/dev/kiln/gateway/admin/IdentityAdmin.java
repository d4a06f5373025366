package dev.kiln.gateway.admin;

import dev.kiln.gateway.auth.ApiKeys;
import dev.kiln.gateway.auth.KeyDigests;
import dev.kiln.gateway.projection.IdentityDirectory;
import dev.kiln.gateway.refusal.Conflict;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.refusal.Unavailable;
import dev.kiln.schema.ApiKey;
import dev.kiln.schema.Organization;
import dev.kiln.schema.OrganizationQuotas;
import dev.kiln.schema.kafka.KilnTopics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/**
 * Organizations and API keys as data: each change is written to its compacted topic, recorded in the audit log,
 * and answered once this gateway has read it back, so the caller can use a new key on this gateway at once.
 */
public final class IdentityAdmin {
  /** How long a change may take to come back from Kafka into this gateway's directory. */
  private static final Duration READ_BACK = Duration.ofSeconds(5);
  /** The longest grace a rotated key keeps working. */
  static final Duration MAX_GRACE = Duration.ofDays(30);
  private final KafkaTemplate<String, SpecificRecord> kafka;
  private final KilnTopics topics;
  private final IdentityDirectory directory;
  private final AuditLog audit;
  private final Clock clock;

  public IdentityAdmin(KafkaTemplate<String, SpecificRecord> kafka, KilnTopics topics, IdentityDirectory directory,
      AuditLog audit, Clock clock) {
    this.kafka = kafka;
    this.topics = topics;
    this.directory = directory;
    this.audit = audit;
    this.clock = clock;
  }

  /** A key just issued: the only time its secret is seen. */
  public record IssuedKey(ApiKey key, String secret) {
    /** Never the secret: a record's default toString would put it in any log line that prints one. */
    @Override
    public String toString() {
      return "IssuedKey[" + key.getKeyId() + ", " + key.getPrefix() + "]";
    }
  }

  public Organization createOrganization(String id, String displayName, OrganizationQuotas quotas,
      AuditLog.Actor actor) {
    if (!ApiKeys.validOrganization(id)) {
      throw new InvalidRequest("id must be 1-63 lowercase letters, digits, '.', '_' or '-', starting and ending "
          + "with a letter or digit");
    }
    if (directory.organization(id).isPresent()) {
      throw new Conflict("organization " + id + " already exists");
    }
    Instant now = now();
    Organization organization = Organization.newBuilder().setId(id).setDisplayName(displayName).setQuotas(quotas)
        .setCreatedAt(now).setUpdatedAt(now).build();
    // Audited first: a change answered 503 may have taken effect, and must be on record either way.
    audit.record(actor, "organization.created", id, null);
    // Two admins creating one id at once: the later write wins, both heard 201; rare enough for an admin API.
    write(topics.organizations(), id, organization, () -> directory.organization(id)
        .filter(seen -> seen.getUpdatedAt().equals(organization.getUpdatedAt())));
    return organization;
  }

  /** Changes the display name or quotas; a field left null keeps its value. */
  public Organization updateOrganization(String id, String displayName, OrganizationQuotas quotas,
      AuditLog.Actor actor) {
    Organization current = organization(id);
    Organization next = Organization.newBuilder(current)
        .setDisplayName(displayName == null ? current.getDisplayName() : displayName)
        .setQuotas(merged(current.getQuotas(), quotas)).setUpdatedAt(later(current.getUpdatedAt())).build();
    audit.record(actor, "organization.updated", id, null);
    write(topics.organizations(), id, next,
        () -> directory.organization(id).filter(seen -> seen.getUpdatedAt().equals(next.getUpdatedAt())));
    return next;
  }

  public Organization organization(String id) {
    return directory.organization(id).orElseThrow(() -> new NotFound("organization " + id + " not found"));
  }

  public IssuedKey issueKey(String organizationId, String name, AuditLog.Actor actor) {
    organization(organizationId);
    IssuedKey issued = newKey(organizationId, name);
    audit.record(actor, "key.issued", organizationId, issued.key().getKeyId());
    writeKey(issued.key());
    return issued;
  }

  public ApiKey revokeKey(String keyId, AuditLog.Actor actor) {
    ApiKey current = key(keyId);
    if (current.getRevokedAt() != null) {
      return current;
    }
    ApiKey revoked = ApiKey.newBuilder(current).setRevokedAt(now()).build();
    audit.record(actor, "key.revoked", current.getOrganizationId(), keyId);
    writeKey(revoked);
    return revoked;
  }

  /** A new key for the same organization; the old one keeps working for {@code grace}, then expires. */
  public IssuedKey rotateKey(String keyId, Duration grace, AuditLog.Actor actor) {
    if (grace.isNegative() || grace.compareTo(MAX_GRACE) > 0) {
      throw new InvalidRequest("grace_seconds must be between 0 and " + MAX_GRACE.toSeconds());
    }
    ApiKey current = key(keyId);
    String status = IdentityDirectory.status(current, now());
    if (status.equals("revoked") || status.equals("expired")) {
      throw new Conflict("key " + keyId + " is " + status + "; issue a new key instead");
    }
    IssuedKey successor = newKey(current.getOrganizationId(), current.getName());
    audit.record(actor, "key.rotated", current.getOrganizationId(), keyId);
    audit.record(actor, "key.issued", current.getOrganizationId(), successor.key().getKeyId());
    writeKey(successor.key());
    Instant expiresAt = now().plus(grace);
    if (current.getExpiresAt() == null || expiresAt.isBefore(current.getExpiresAt())) {
      // Written from the copy read above; the directory never lets it undo a revoke made meanwhile.
      writeKey(ApiKey.newBuilder(current).setExpiresAt(expiresAt).build(), this::restrictedAtLeastAs);
    }
    return successor;
  }

  public ApiKey key(String keyId) {
    return directory.key(keyId).orElseThrow(() -> new NotFound("key " + keyId + " not found"));
  }

  private IssuedKey newKey(String organizationId, String name) {
    String secret = KeySecrets.newSecret();
    ApiKey key = ApiKey.newBuilder().setKeyId("key_" + UUID.randomUUID().toString().replace("-", ""))
        .setOrganizationId(organizationId).setName(name).setPrefix(KeySecrets.visiblePrefix(secret))
        .setSha256(KeyDigests.sha256Hex(secret)).setCreatedAt(now()).build();
    return new IssuedKey(key, secret);
  }

  private void writeKey(ApiKey key) {
    writeKey(key, (seen, written) -> seen.equals(written));
  }

  private void writeKey(ApiKey key, java.util.function.BiPredicate<ApiKey, ApiKey> arrived) {
    write(topics.apiKeys(), key.getKeyId(), key,
        () -> directory.key(key.getKeyId()).filter(seen -> arrived.test(seen, key)));
  }

  /** The key as read back is at least as restricted as written: a revoke made meanwhile stands. */
  private boolean restrictedAtLeastAs(ApiKey seen, ApiKey written) {
    return seen.getRevokedAt() != null
        || (seen.getExpiresAt() != null && !seen.getExpiresAt().isAfter(written.getExpiresAt()));
  }

  /** Each quota the change names replaces the stored one; the others stay. */
  private static OrganizationQuotas merged(OrganizationQuotas current, OrganizationQuotas change) {
    if (change == null) {
      return current;
    }
    return new OrganizationQuotas(
        change.getRequestsPerMinute() != null ? change.getRequestsPerMinute() : current.getRequestsPerMinute(),
        change.getBuildsPerHour() != null ? change.getBuildsPerHour() : current.getBuildsPerHour(),
        change.getMaxActiveBuilds() != null ? change.getMaxActiveBuilds() : current.getMaxActiveBuilds());
  }

  private void write(String topic, String recordKey, SpecificRecord value, Supplier<Optional<?>> readBack) {
    AcknowledgedWrites.send(kafka, topic, recordKey, value);
    if (directory.await(() -> readBack.get().map(seen -> Boolean.TRUE), READ_BACK).isEmpty()) {
      throw new Unavailable("the change was written but this gateway has not read it back yet, retry the read");
    }
  }

  /** Timestamps are stored in milliseconds: a change within the same millisecond must still be newer. */
  private Instant later(Instant previous) {
    Instant now = now();
    return now.isAfter(previous) ? now : previous.plusMillis(1);
  }

  /** Now, to the millisecond the topics keep, so that what is read back equals what was written. */
  private Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
