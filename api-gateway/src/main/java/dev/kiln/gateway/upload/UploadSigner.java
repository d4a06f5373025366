package dev.kiln.gateway.upload;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks upload URLs: an HMAC over organization, files hash and expiry, so that a {@code PUT} needs no
 * API key yet only stores what the organization asked to upload, before the link expires.
 */
public final class UploadSigner {
  private final byte[] key;
  private final Clock clock;

  public UploadSigner(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  public String sign(String organizationId, String filesHash, Instant expiresAt) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String payload = organizationId + "\n" + filesHash + "\n" + expiresAt.getEpochSecond();
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** True when the signature matches and the link has not expired. */
  public boolean valid(String organizationId, String filesHash, long expiresEpochSecond, String signature) {
    Instant expiresAt = Instant.ofEpochSecond(expiresEpochSecond);
    if (signature == null || clock.instant().isAfter(expiresAt)) {
      return false;
    }
    byte[] expected = sign(organizationId, filesHash, expiresAt).getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }
}
