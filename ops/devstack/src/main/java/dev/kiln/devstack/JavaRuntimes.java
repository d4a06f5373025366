package dev.kiln.devstack;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/** Finds Java runtimes: this one, or an installed JDK of at least some feature version. */
public final class JavaRuntimes {
  private JavaRuntimes() {}

  /** The java executable of the running JVM. */
  public static String current() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * A java executable of version {@code minimum} or later: {@code KILN_REGISTRY_JAVA_HOME} if set, this JVM if it
   * is new enough, else the newest JDK under /usr/lib/jvm.
   */
  public static String atLeast(int minimum) {
    String configured = System.getenv("KILN_REGISTRY_JAVA_HOME");
    if (configured != null && !configured.isBlank()) {
      return Path.of(configured, "bin", "java").toString();
    }
    if (Runtime.version().feature() >= minimum) {
      return current();
    }
    return installed(minimum).orElseThrow(() -> new IllegalStateException(
        "Apicurio Registry needs Java " + minimum + "+; none under /usr/lib/jvm. Install one (e.g. Temurin 25) or set KILN_REGISTRY_JAVA_HOME"));
  }

  private static Optional<String> installed(int minimum) {
    Path root = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> homes = Files.list(root)) {
      return homes.filter(home -> Files.isExecutable(home.resolve("bin/java")))
          .filter(home -> featureVersion(home) >= minimum)
          .max(Comparator.comparingInt(JavaRuntimes::featureVersion))
          .map(home -> home.resolve("bin/java").toString());
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int featureVersion(Path home) {
    try (Stream<String> lines = Files.lines(home.resolve("release"))) {
      return lines.filter(line -> line.startsWith("JAVA_VERSION="))
          .map(line -> line.substring("JAVA_VERSION=".length()).replace("\"", ""))
          .map(version -> Integer.parseInt(version.split("[.+-]")[0]))
          .findFirst().orElse(0);
    } catch (IOException | NumberFormatException e) {
      return 0;
    }
  }
}
