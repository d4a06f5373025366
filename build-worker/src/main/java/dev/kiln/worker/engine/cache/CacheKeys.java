package dev.kiln.worker.engine.cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Content-addressed cache keys, computed without Docker. A key is sha256 over the key format version, the parent's
 * key and one input: the base image's digest for the first, a step's cache input (its normalized form, a COPY's
 * verified content digest included) for each step, a fixed marker for the final config commit. The first key also
 * holds the cache's scope (the organization, unless the cache is shared). Nothing else goes in — not cpu, memory,
 * names or times — so the same base and steps always give the same keys within a scope.
 */
public final class CacheKeys {
  /** Bump when the key inputs change meaning: every older entry then misses. */
  public static final String VERSION = "kiln-cache-1";

  private CacheKeys() {}

  /** The key a build starts from: the base image's digest (an imported image's id when it has none). */
  public static String base(String baseDigest) {
    return base("", baseDigest);
  }

  /**
   * The key a build starts from within {@code scope} (an organization, or "" for a cache shared by all): entries of
   * different scopes never match, so one tenant's cache hits say nothing about another's builds.
   */
  public static String base(String scope, String baseDigest) {
    return scope.isEmpty() ? sha256(VERSION, "base", baseDigest) : sha256(VERSION, "base", scope, baseDigest);
  }

  /** The key of a step applied on top of {@code parent}. */
  public static String step(String parent, String cacheInput) {
    return sha256(VERSION, parent, "step", cacheInput);
  }

  /** The key of the final image: the last step's key, committed with the accumulated config. */
  public static String finalImage(String parent) {
    return sha256(VERSION, parent, "final");
  }

  private static String sha256(String... parts) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
        // Length-prefixed, so that no two different part lists hash the same bytes.
        digest.update(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(bytes);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
