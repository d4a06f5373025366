package dev.kiln.worker.sweep;

import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Whose build container this is, written into its name: the build, the attempt and the worker process that made it.
 * A name, not labels: a commit copies the container's labels into the image, so labels would reach every template
 * and every container a user runs from one, which the sweeper would then remove as a stray build container.
 *
 * <p>The name is {@code kiln-build_<build>_<attempt>_<worker id>_<process start millis>_<suffix>}; the worker id
 * may itself contain {@code _}, so it is read as whatever lies between the attempt and the last two parts. The
 * suffix tells apart the containers of one attempt, and of two claims with one delivery count (the broker has
 * handed a request out again without counting it).
 */
public record BuildContainerName(String buildId, int attempt, String workerId, long startedAtMillis) {
  /** What every build container's name starts with: list containers by it. */
  public static final String PREFIX = "kiln-build_";

  /** What Docker allows in a container name; a worker id must fit it. */
  public static final Pattern NAME_CHARACTERS = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

  /** The worker process, as its heartbeats name it. */
  public String workerInstance() {
    return workerInstance(workerId, startedAtMillis);
  }

  /** A worker process's name: its worker id and start time, told apart from an earlier process of the same id. */
  public static String workerInstance(String workerId, long startedAtMillis) {
    return workerId + "@" + startedAtMillis;
  }

  /** What a name's suffix may hold. */
  private static final Pattern SUFFIX = Pattern.compile("[a-z0-9-]+");

  /** The name of one of this attempt's containers; {@code suffix} ({@code [a-z0-9-]+}) makes it unique. */
  public String name(String suffix) {
    if (!SUFFIX.matcher(suffix).matches()) {
      throw new IllegalArgumentException("a container name suffix is [a-z0-9-]+, not " + suffix);
    }
    return PREFIX + buildId + "_" + attempt + "_" + workerId + "_" + startedAtMillis + "_" + suffix;
  }

  /** The owner a container name says, or empty for a container that is not a build container. */
  public static Optional<BuildContainerName> parse(String containerName) {
    String name = containerName.startsWith("/") ? containerName.substring(1) : containerName;
    if (!name.startsWith(PREFIX)) {
      return Optional.empty();
    }
    String[] parts = name.substring(PREFIX.length()).split("_", -1);
    if (parts.length < 5) {
      return Optional.empty();
    }
    try {
      int attempt = Integer.parseInt(parts[1]);
      long startedAt = Long.parseLong(parts[parts.length - 2]);
      if (!SUFFIX.matcher(parts[parts.length - 1]).matches()) {
        return Optional.empty();
      }
      String workerId = String.join("_", Arrays.copyOfRange(parts, 2, parts.length - 2));
      return parts[0].isEmpty() || workerId.isEmpty() ? Optional.empty()
          : Optional.of(new BuildContainerName(parts[0], attempt, workerId, startedAt));
    } catch (NumberFormatException notOurs) {
      return Optional.empty();
    }
  }
}
