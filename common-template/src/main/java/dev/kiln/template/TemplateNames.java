package dev.kiln.template;

import java.util.regex.Pattern;

/**
 * Template names and the image names made from them: a name is one path component of the distribution spec's
 * grammar, so {@code kiln/<org>/<name>} is always a valid repository.
 */
public final class TemplateNames {
  public static final int MAX_LENGTH = 63;
  /** The distribution spec's path component: separators only between alphanumerics, never two in a row. */
  private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*");

  private TemplateNames() {}

  public static boolean isValid(String name) {
    return name != null && name.length() <= MAX_LENGTH && PATH_COMPONENT.matcher(name).matches();
  }

  /** The repository a template's images are tagged in. */
  public static String imageRepository(String organizationId, String templateName) {
    return "kiln/" + organizationId + "/" + templateName;
  }
}
