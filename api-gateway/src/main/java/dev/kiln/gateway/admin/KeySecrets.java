package dev.kiln.gateway.admin;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * New API key secrets: {@code kiln_live_} and 43 URL-safe characters carrying 256 random bits. The prefix plus the
 * first six characters are kept for listings, so an operator can tell keys apart without holding them.
 */
final class KeySecrets {
  static final String PREFIX = "kiln_live_";
  private static final int VISIBLE_CHARS = 6;
  private static final SecureRandom RANDOM = new SecureRandom();

  private KeySecrets() {}

  static String newSecret() {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What listings show of a secret: {@code kiln_live_ab12cd…}. */
  static String visiblePrefix(String secret) {
    return secret.substring(0, PREFIX.length() + VISIBLE_CHARS) + "…";
  }
}
