package dev.kiln.worker.engine.step;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The runtime config an image carries (env, working directory, user, command). Metadata steps change it without
 * touching the filesystem; it is applied to every later step's container and to the final image.
 */
public record ImageConfig(Map<String, String> env, String workdir, String user, List<String> cmd,
    List<String> entrypoint) {

  public ImageConfig {
    env = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(env));
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
  }

  public static ImageConfig empty() {
    return new ImageConfig(Map.of(), "", "", List.of(), List.of());
  }

  public ImageConfig withEnv(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(env);
    next.put(name, value);
    return new ImageConfig(next, workdir, user, cmd, entrypoint);
  }

  public ImageConfig withWorkdir(String path) {
    return new ImageConfig(env, path, user, cmd, entrypoint);
  }

  public ImageConfig withUser(String name) {
    return new ImageConfig(env, workdir, name, cmd, entrypoint);
  }

  /** CMD replaces the command; like Docker, it keeps the entrypoint. */
  public ImageConfig withCmd(List<String> command) {
    return new ImageConfig(env, workdir, user, command, entrypoint);
  }

  /** Env in Docker's {@code K=V} list form. */
  public List<String> envList() {
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
