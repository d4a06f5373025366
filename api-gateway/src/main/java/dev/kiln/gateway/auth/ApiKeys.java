package dev.kiln.gateway.auth;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The API keys this gateway accepts and the organization each belongs to: the bootstrap key for the default
 * organization plus {@code key:org,key:org} pairs.
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
      keys.put(bootstrapKey.trim(), requireOrganization(defaultOrganization));
    }
    if (extraKeys != null && !extraKeys.isBlank()) {
      for (String pair : extraKeys.split(",")) {
        int colon = pair.lastIndexOf(':');
        if (colon <= 0 || colon == pair.length() - 1) {
          throw new IllegalArgumentException("KILN_API_KEYS entries must be key:organization, got '" + pair.trim() + "'");
        }
        keys.put(pair.substring(0, colon).trim(), requireOrganization(pair.substring(colon + 1).trim()));
      }
    }
    return new ApiKeys(keys);
  }

  /** The organization that owns {@code key}, if any. */
  public Optional<String> organizationOf(String key) {
    return Optional.ofNullable(organizationByKey.get(key));
  }

  private static String requireOrganization(String organization) {
    if (organization == null || !ORGANIZATION.matcher(organization).matches()) {
      throw new IllegalArgumentException("invalid organization id '" + organization + "': use lowercase letters, digits, '.', '_' or '-'");
    }
    return organization;
  }
}
