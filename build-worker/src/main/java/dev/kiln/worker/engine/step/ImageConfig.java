package dev.kiln.worker.engine.step;

import dev.kiln.template.RuntimeConfig;
import java.util.List;
import java.util.Map;

/**
 * The runtime config an image carries: the {@link RuntimeConfig} metadata steps fold (env, working directory,
 * user, command, by the rules the gateway reports with) plus the base image's entrypoint. It is applied to every
 * later step's container and to the final image.
 */
public record ImageConfig(RuntimeConfig runtime, List<String> entrypoint) {

  public ImageConfig {
    runtime = runtime == null ? RuntimeConfig.empty() : runtime;
    entrypoint = entrypoint == null ? List.of() : List.copyOf(entrypoint);
  }

  /** An image's config as Docker reports it. */
  public ImageConfig(Map<String, String> env, String workdir, String user, List<String> cmd, List<String> entrypoint) {
    this(new RuntimeConfig(env, workdir, user, cmd), entrypoint);
  }

  public static ImageConfig empty() {
    return new ImageConfig(RuntimeConfig.empty(), List.of());
  }

  public Map<String, String> env() {
    return runtime.env();
  }

  public String workdir() {
    return runtime.workdir();
  }

  public String user() {
    return runtime.user();
  }

  public List<String> cmd() {
    return runtime.cmd();
  }

  public ImageConfig withEnvPair(String pair) {
    return new ImageConfig(runtime.withEnvPair(pair), entrypoint);
  }

  /** WORKDIR: resolved against the current directory as Docker does. */
  public ImageConfig withWorkdir(String requested) {
    return new ImageConfig(runtime.withWorkdir(requested), entrypoint);
  }

  public ImageConfig withUser(String name) {
    return new ImageConfig(runtime.withUser(name), entrypoint);
  }

  /** CMD replaces the command; like Docker, it keeps the entrypoint. */
  public ImageConfig withCmd(List<String> command) {
    return new ImageConfig(runtime.withCmd(command), entrypoint);
  }

  /** Env in Docker's {@code K=V} list form. */
  public List<String> envList() {
    return runtime.envList();
  }
}
