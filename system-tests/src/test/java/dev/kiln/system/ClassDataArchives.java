package dev.kiln.system;

import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.JavaRuntimes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.admin.Admin;

/**
 * Application class data archives (CDS) of the service jars, as Spring Boot documents them: the jar is extracted,
 * one training run loads its classes up to the context refresh and dumps them ({@code -XX:ArchiveClassesAtExit},
 * {@code -Dspring.context.exit=onRefresh}, which exits before any lifecycle bean starts), and every later start maps
 * the archive instead of loading the classes again. Measured here: a worker's start 4.5 s → 2.9 s on a quiet machine.
 * One archive per jar and test JVM, made on first use; a jar whose training fails starts as it is.
 */
final class ClassDataArchives {
  private static final Map<String, CompletableFuture<List<String>>> launches = new ConcurrentHashMap<>();

  private ClassDataArchives() {}

  /**
   * The arguments after {@code java} and its heap flags that start {@code jar}: from the extracted jar with its
   * archive, or the jar itself. {@code trainingEnv}, asked only for the first start of a jar, must keep the training run off every other service's topics,
   * ports and state.
   */
  static List<String> launch(String jar, Supplier<Map<String, String>> trainingEnv, List<String> jvmFlags) {
    return launches.computeIfAbsent(jar,
        key -> CompletableFuture.supplyAsync(() -> train(jar, trainingEnv.get(), jvmFlags))).join();
  }

  private static List<String> train(String jar, Map<String, String> trainingEnv, List<String> jvmFlags) {
    Path jarPath = Path.of(jar);
    Path dir = Path.of("target", "cds", jarPath.getFileName().toString().replace(".jar", ""));
    Path extracted = dir.resolve(jarPath.getFileName());
    Path archive = dir.resolve("app.jsa");
    Path log = Path.of("target", "system-logs", "cds-" + jarPath.getFileName() + ".log");
    try {
      Files.createDirectories(log.getParent());
      if (run(List.of(JavaRuntimes.current(), "-Djarmode=tools", "-jar", jar, "extract", "--force", "--destination",
          dir.toString()), Map.of(), log) != 0) {
        return List.of("-jar", jar);
      }
      List<String> training = new ArrayList<>(List.of(JavaRuntimes.current()));
      training.addAll(jvmFlags);
      training.addAll(List.of("-XX:ArchiveClassesAtExit=" + archive, "-Dspring.context.exit=onRefresh",
          "-jar", extracted.toString()));
      run(training, trainingEnv, log);
      deleteTopicsOf(trainingEnv.get("KILN_TOPIC_PREFIX"));
      if (!Files.exists(archive)) {
        return List.of("-jar", jar);
      }
      return List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:cds=off", "-Xlog:cds+dynamic=off",
          "-jar", extracted.toString());
    } catch (IOException e) {
      return List.of("-jar", jar);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of("-jar", jar);
    }
  }

  /** The training run's topics, which nothing reads again (its random prefix is in every name). */
  private static void deleteTopicsOf(String prefix) {
    try (Admin admin = Admin.create(Devstack.shared().kafka())) {
      List<String> topics = admin.listTopics().names().get().stream().filter(name -> name.contains(prefix)).toList();
      admin.deleteTopics(topics).all().get();
    } catch (ExecutionException | RuntimeException e) {
      // Left behind, they cost a little disk on a test broker and nothing else.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static int run(List<String> command, Map<String, String> env, Path log)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().keySet().removeIf(variable -> variable.startsWith("KILN_"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(3, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      return -1;
    }
    return process.exitValue();
  }
}
