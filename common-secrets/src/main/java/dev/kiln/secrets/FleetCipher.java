package dev.kiln.secrets;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals registry credentials with the fleet key (AES-256-GCM) for the workers: the gateway seals, a worker opens,
 * and every topic only ever carries the sealed form. The build id is bound in as associated data, so a sealed value
 * copied onto another build does not open.
 */
public final class FleetCipher {
  private static final String PREFIX = "v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final SecretKeySpec key;
  private final SecureRandom random = new SecureRandom();

  private FleetCipher(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("the fleet key must be 32 bytes (base64 of 32 random bytes)");
    }
    this.key = new SecretKeySpec(key, "AES");
  }

  /** A cipher from the base64 fleet key, e.g. {@code KILN_FLEET_KEY=$(head -c32 /dev/urandom | base64)}. */
  public static FleetCipher fromBase64(String fleetKey) {
    return new FleetCipher(Base64.getDecoder().decode(fleetKey.trim()));
  }

  public String seal(RegistryCredentials credentials, String buildId) {
    String clear = String.join("\n", credentials.type(), nullToEmpty(credentials.username()), credentials.password());
    try {
      byte[] nonce = new byte[NONCE_BYTES];
      random.nextBytes(nonce);
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(buildId.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(clear.getBytes(StandardCharsets.UTF_8));
      return PREFIX + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
          .put(nonce).put(sealed).array());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM unavailable", e);
    }
  }

  /** Opens a sealed value of {@code buildId}; fails if it was sealed with another key or for another build. */
  public RegistryCredentials open(String sealed, String buildId) throws GeneralSecurityException {
    if (!sealed.startsWith(PREFIX)) {
      throw new GeneralSecurityException("unknown sealed-credentials format");
    }
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(PREFIX.length()));
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
    cipher.updateAAD(buildId.getBytes(StandardCharsets.UTF_8));
    String clear = new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    String[] parts = clear.split("\n", 3);
    return new RegistryCredentials(parts[0], parts[1].isEmpty() ? null : parts[1], parts[2]);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
