package dev.kiln.gateway.auth;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The credentials a gateway starts with: keys from the environment and the admin token. Outside local mode a
 * gateway with neither refuses to start, rather than answering with a well-known default key.
 */
public final class Credentials {
  /** The key local mode falls back to; nothing else ever accepts it. */
  public static final String LOCAL_DEV_KEY = "kiln-dev-key";

  private Credentials() {}

  /** The configured keys; in local mode without any, {@link #LOCAL_DEV_KEY} for the default organization. */
  public static ApiKeys configuredKeys(String bootstrapKey, String defaultOrganization, String extraKeys,
      Optional<String> adminToken, boolean localMode) {
    ApiKeys keys = ApiKeys.parse(bootstrapKey, defaultOrganization, extraKeys);
    if (!keys.isEmpty()) {
      return keys;
    }
    if (!localMode) {
      if (adminToken.isPresent()) {
        return keys; // every key will be issued through the admin API
      }
      throw new IllegalStateException("no API keys configured: set KILN_ADMIN_TOKEN (or KILN_ADMIN_TOKEN_FILE) and "
          + "issue keys with ops/kiln-admin, or set KILN_BOOTSTRAP_API_KEY / KILN_API_KEYS; "
          + "KILN_LOCAL_MODE=true (as kiln-local sets) accepts the development key " + LOCAL_DEV_KEY);
    }
    LoggerFactory.getLogger(Credentials.class).warn("local mode: the default organization's key is the development key");
    return ApiKeys.parse(LOCAL_DEV_KEY, defaultOrganization, null);
  }

  /** The admin token, from the environment or, if set, the file (its content, trimmed). */
  public static Optional<String> adminToken(String token, String tokenFile) {
    if (tokenFile != null && !tokenFile.isBlank()) {
      try {
        return nonBlank(Files.readString(Path.of(tokenFile)));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read KILN_ADMIN_TOKEN_FILE " + tokenFile, e);
      }
    }
    return nonBlank(token);
  }

  private static Optional<String> nonBlank(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }
}
