package dev.kiln.devstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Where this module's build put the broker classpath and the unpacked schema registry. */
final class DevstackBuildInfo {
  private static final Properties PROPERTIES = load();

  private DevstackBuildInfo() {}

  static String brokerClasspath() {
    Path file = Path.of(PROPERTIES.getProperty("broker.classpath.file"));
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new IllegalStateException("no broker classpath at " + file + ": build ops/devstack first (./mvnw install -pl ops/devstack)", e);
    }
  }

  static Path registryHome() {
    Path home = Path.of(PROPERTIES.getProperty("registry.home"));
    if (!Files.isRegularFile(home.resolve("quarkus-run.jar"))) {
      throw new IllegalStateException("no Apicurio Registry at " + home + ": build ops/devstack first");
    }
    return home;
  }

  private static Properties load() {
    try (InputStream in = DevstackBuildInfo.class.getResourceAsStream("devstack.properties")) {
      Properties properties = new Properties();
      properties.load(in);
      return properties;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
