package dev.kiln.gateway.upload;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and checks upload URLs: an HMAC over organization, files hash, expiry and content length, so that a
 * {@code PUT} needs no API key yet only stores what the organization asked to upload, at the size it announced,
 * before the link expires.
 */
public final class UploadSigner {
  private final byte[] key;
  private final Clock clock;

  public UploadSigner(byte[] key, Clock clock) {
    this.key = key.clone();
    this.clock = clock;
  }

  public String sign(String organizationId, String filesHash, long expiresEpochSecond, long contentLength) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      String payload = organizationId + "\n" + filesHash + "\n" + expiresEpochSecond + "\n" + contentLength;
      return HexFormat.of().formatHex(mac.doFinal(payload.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /**
   * True when the signature matches and the link has not expired. Expiry stays a plain epoch second: any long a
   * client sends is compared, never turned into an {@code Instant} (which overflows past year 1,000,000,000).
   */
  public boolean valid(String organizationId, String filesHash, long expiresEpochSecond, long contentLength,
      String signature) {
    if (signature == null || clock.instant().getEpochSecond() > expiresEpochSecond) {
      return false;
    }
    byte[] expected = sign(organizationId, filesHash, expiresEpochSecond, contentLength)
        .getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, signature.getBytes(StandardCharsets.UTF_8));
  }
}
