package dev.kiln.template;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What ENV, WORKDIR, USER and CMD steps leave in a template's runtime: env (in the order first set), working
 * directory, user and command. The worker folds its steps through it onto the base image's config; the gateway
 * folds them onto an empty one to report and store what a template runs with.
 */
public record RuntimeConfig(Map<String, String> env, String workdir, String user, List<String> cmd) {

  public RuntimeConfig {
    env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
    workdir = workdir == null ? "" : workdir;
    user = user == null ? "" : user;
    cmd = cmd == null ? List.of() : List.copyOf(cmd);
  }

  /** No env, working directory, user or command: what the gateway starts from, not knowing the base image. */
  public static RuntimeConfig empty() {
    return new RuntimeConfig(Map.of(), "", "", List.of());
  }

  /** An ENV pair {@code K=V}: the value is everything after the first {@code =}; a later pair overrides. */
  public RuntimeConfig withEnvPair(String pair) {
    int equals = pair.indexOf('=');
    if (equals < 1) {
      throw new IllegalArgumentException("ENV pair must be K=V: " + pair);
    }
    return withEnv(pair.substring(0, equals), pair.substring(equals + 1));
  }

  public RuntimeConfig withEnv(String name, String value) {
    Map<String, String> next = new LinkedHashMap<>(env);
    next.put(name, value);
    return new RuntimeConfig(next, workdir, user, cmd);
  }

  /** A WORKDIR step: resolved against the current directory as Docker does ({@link Workdirs}). */
  public RuntimeConfig withWorkdir(String requested) {
    return new RuntimeConfig(env, Workdirs.resolve(workdir, requested), user, cmd);
  }

  public RuntimeConfig withUser(String name) {
    return new RuntimeConfig(env, workdir, name, cmd);
  }

  public RuntimeConfig withCmd(List<String> command) {
    return new RuntimeConfig(env, workdir, user, command);
  }

  /** Env in Docker's {@code K=V} list form. */
  public List<String> envList() {
    return env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
  }
}
