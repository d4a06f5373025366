package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.ApiKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class IdentityDirectoryTest {
  private static final Instant NOW = Instant.parse("2026-12-02T12:00:00Z");
  private final IdentityDirectory directory = new IdentityDirectory(Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void aKeyAuthenticatesItsOrganizationUntilRevokedOrExpired() {
    directory.accept(record(key("k1", "d1", null, null)));
    directory.accept(record(key("k2", "d2", NOW.plusSeconds(60), null)));
    directory.accept(record(key("k3", "d3", NOW.minusSeconds(1), null)));
    directory.accept(record(key("k4", "d4", null, NOW.minusSeconds(5))));

    assertThat(directory.organizationOfDigest("d1")).contains("acme");
    assertThat(directory.organizationOfDigest("d2")).as("rotating, within its grace").contains("acme");
    assertThat(directory.organizationOfDigest("d3")).as("expired").isEmpty();
    assertThat(directory.organizationOfDigest("d4")).as("revoked").isEmpty();
    assertThat(directory.organizationOfDigest("unknown")).isEmpty();
    assertThat(directory.keys("acme")).extracting(k -> IdentityDirectory.status(k, NOW))
        .containsExactly("active", "rotating", "expired", "revoked");
  }

  @Test
  void theLatestRecordOfAKeyWins() {
    directory.accept(record(key("k1", "d1", null, null)));
    directory.accept(record(key("k1", "d1", null, NOW)));
    assertThat(directory.organizationOfDigest("d1")).isEmpty();
  }

  @Test
  void aRotateWritingAnOlderCopy_neverUndoesARevokeNorPushesAnExpiryLater() {
    directory.accept(record(key("k1", "d1", null, NOW.minusSeconds(1))));
    directory.accept(record(key("k1", "d1", NOW.plusSeconds(3600), null)));
    assertThat(directory.organizationOfDigest("d1")).isEmpty();

    directory.accept(record(key("k2", "d2", NOW.minusSeconds(1), null)));
    directory.accept(record(key("k2", "d2", NOW.plusSeconds(3600), null)));
    assertThat(directory.organizationOfDigest("d2")).as("expired stays expired").isEmpty();
  }

  private static ApiKey key(String id, String digest, Instant expiresAt, Instant revokedAt) {
    return ApiKey.newBuilder().setKeyId(id).setOrganizationId("acme").setPrefix("kiln_live_abcdef…")
        .setSha256(digest).setCreatedAt(NOW.minusSeconds(100).plusSeconds(id.hashCode() % 10))
        .setExpiresAt(expiresAt).setRevokedAt(revokedAt).build();
  }

  private static ConsumerRecord<String, Object> record(ApiKey key) {
    return new ConsumerRecord<>("kiln.api-keys", 0, 0, key.getKeyId(), key);
  }
}
