package dev.kiln.template;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The files hash that names an upload: clients send a sha256 hex digest, with or without a {@code sha256:} prefix,
 * in either case; Kiln keeps one form, 64 lowercase hex digits, in links, steps and blob names.
 */
public final class FilesHashes {
  private static final String PREFIX = "sha256:";
  private static final Pattern NORMALIZED = Pattern.compile("[0-9a-f]{64}");

  private FilesHashes() {}

  /** The normalized form of a hash as a client sends it; {@link IllegalArgumentException} when it is none. */
  public static String normalize(String hash) {
    String hex = hash == null ? "" : hash.startsWith(PREFIX) ? hash.substring(PREFIX.length()) : hash;
    String lower = hex.toLowerCase(Locale.ROOT);
    if (!NORMALIZED.matcher(lower).matches()) {
      throw new IllegalArgumentException("must be a sha256 hex digest");
    }
    return lower;
  }

  /** Whether the hash is already in the one form Kiln stores (what a worker expects to receive). */
  public static boolean isNormalized(String hash) {
    return hash != null && NORMALIZED.matcher(hash).matches();
  }
}
