package dev.kiln.template;

import java.util.regex.Pattern;

/** Whether a string is an image reference as Docker parses one: {@code [host[:port]/]path[:tag][@digest]}. */
public final class ImageReferences {
  public static final int MAX_LENGTH = 255;
  private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
  private static final String DOMAIN =
      "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?)";
  private static final Pattern REFERENCE = Pattern.compile("(?:" + DOMAIN + "/)?" + COMPONENT + "(?:/" + COMPONENT
      + ")*(?::[\\w][\\w.-]{0,127})?(?:@[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,})?");

  private ImageReferences() {}

  public static boolean isValid(String reference) {
    return reference != null && reference.length() <= MAX_LENGTH && REFERENCE.matcher(reference).matches();
  }

  /** The repository part, {@code [host[:port]/]path}, without tag or digest. */
  public static String repository(String reference) {
    int at = reference.indexOf('@');
    String name = at >= 0 ? reference.substring(0, at) : reference;
    int slash = name.lastIndexOf('/');
    int colon = name.lastIndexOf(':');
    return colon > slash ? name.substring(0, colon) : name;
  }
}
