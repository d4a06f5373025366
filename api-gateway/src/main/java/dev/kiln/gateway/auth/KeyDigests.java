package dev.kiln.gateway.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a key, the only form in which Kiln holds or stores one. A fast hash suffices because every key
 * Kiln issues carries 256 random bits: no dictionary or brute force reaches that, which is what a slow KDF would
 * guard a low-entropy password against.
 */
public final class KeyDigests {
  private KeyDigests() {}

  public static String sha256Hex(String key) {
    try {
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 unavailable", e);
    }
  }

  /** Compares two secrets in time independent of where they differ (through their digests' equal lengths). */
  public static boolean sameSecret(String presented, String expected) {
    return MessageDigest.isEqual(sha256Hex(presented).getBytes(StandardCharsets.US_ASCII),
        sha256Hex(expected).getBytes(StandardCharsets.US_ASCII));
  }
}
