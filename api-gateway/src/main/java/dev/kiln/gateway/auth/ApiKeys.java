package dev.kiln.gateway.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys this gateway accepts and the organization each belongs to: the bootstrap key for the default
 * organization plus {@code key:org,key:org} pairs. Keys are held and looked up by their SHA-256 digest, never by
 * the key itself, so a heap dump or a timing difference in a map lookup tells nothing about a key.
 */
public final class ApiKeys {
  /** Organization ids become part of image names, so they follow the same lowercase rule. */
  private static final Pattern ORGANIZATION = Pattern.compile("^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$");
  private final Map<String, String> organizationByKey;

  private ApiKeys(Map<String, String> organizationByKey) {
    this.organizationByKey = Map.copyOf(organizationByKey);
  }

  /** Parses the configured keys; refuses malformed pairs and organization ids at start-up, not per request. */
  public static ApiKeys parse(String bootstrapKey, String defaultOrganization, String extraKeys) {
    Map<String, String> keys = new HashMap<>();
    if (bootstrapKey != null && !bootstrapKey.isBlank()) {
      keys.put(digest(bootstrapKey.trim()), requireOrganization(defaultOrganization));
    }
    if (extraKeys != null && !extraKeys.isBlank()) {
      for (String pair : extraKeys.split(",")) {
        int colon = pair.lastIndexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
          throw new IllegalArgumentException("KILN_API_KEYS entries must be key:organization, got '" + pair.trim() + "'");
        }
        keys.put(digest(pair.substring(0, colon).trim()), requireOrganization(pair.substring(colon + 1).trim()));
      }
    }
    return new ApiKeys(keys);
  }

  /** The organization that owns {@code key}, if any. */
  public Optional<String> organizationOf(String key) {
    return organizationOfDigest(digest(key));
  }

  /** The organization of the key with this SHA-256, for callers that hold the digest already. */
  public Optional<String> organizationOfDigest(String sha256) {
    return Optional.ofNullable(organizationByKey.get(sha256));
  }

  private static String digest(String key) {
    return KeyDigests.sha256Hex(key);
  }

  /** Whether no key at all is configured. */
  public boolean isEmpty() {
    return organizationByKey.isEmpty();
  }

  /** Whether {@code organizationId} has a key from the environment. */
  public boolean hasOrganization(String organizationId) {
    return organizationByKey.containsValue(organizationId);
  }

  /** Whether a string is a valid organization id (lowercase, it becomes part of image names). */
  public static boolean validOrganization(String organizationId) {
    return organizationId != null && ORGANIZATION.matcher(organizationId).matches();
  }

  private static String requireOrganization(String organization) {
    if (organization == null || !ORGANIZATION.matcher(organization).matches()) {
      throw new IllegalArgumentException("invalid organization id '" + organization + "': use lowercase letters, digits, '.', '_' or '-'");
    }
    return organization;
  }
}
