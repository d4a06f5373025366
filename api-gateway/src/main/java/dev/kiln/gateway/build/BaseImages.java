package dev.kiln.gateway.build;

import java.util.Locale;

/** What the gateway can tell about a base image from its name alone. */
final class BaseImages {
  static final String ALPINE_REFUSED =
      "Alpine Linux is not supported. Use glibc-based images like ubuntu, debian, python-slim, node-slim";

  private BaseImages() {}

  /** True for alpine itself and for tags built on it ({@code python:3.12-alpine}, {@code node:20-alpine3.19}). */
  static boolean isAlpineByName(String image) {
    String reference = image.toLowerCase(Locale.ROOT);
    int digest = reference.indexOf('@');
    if (digest >= 0) {
      reference = reference.substring(0, digest);
    }
    int slash = reference.lastIndexOf('/');
    String last = reference.substring(slash + 1);
    int colon = last.indexOf(':');
    String repository = colon >= 0 ? last.substring(0, colon) : last;
    String tag = colon >= 0 ? last.substring(colon + 1) : "";
    return repository.equals("alpine") || tag.contains("alpine");
  }
}
