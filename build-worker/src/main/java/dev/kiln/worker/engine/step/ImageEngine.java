package dev.kiln.worker.engine.step;


/** The port to a container engine: the only way the build engine touches images and containers. */
public interface ImageEngine extends AutoCloseable {
  /** Releases what the engine holds for its build once the build is over (its network); by default nothing. */
  @Override
  default void close() {}

  /**
   * The base image's id, config and digest. Access is checked every time, with the build's {@code credentials}
   * (none: anonymously, never with the node's own): a copy on this node is used only when the registry lets this
   * build have an image of the same digest, else it is pulled, and a {@code refresh} always pulls. Only the
   * organization's {@code ownTemplate}, which Kiln built, is taken from the node without asking a registry.
   */
  BaseImage resolveBase(String reference, dev.kiln.secrets.RegistryCredentials credentials, boolean refresh,
      boolean ownTemplate) throws EngineException;

  /**
   * Runs {@code command} with {@code /bin/sh -c} in a container of {@code image} under {@code config} and
   * {@code limits}, streaming output to {@code log}; on exit 0 commits the filesystem as a new image.
   */
  RunResult run(String image, ImageConfig config, String command, StepLimits limits, LogSink log)
      throws EngineException, InterruptedException;

  /** A new image: {@code image} plus the files of {@code layerTar} (a tar rooted at {@code /}). */
  String addFiles(String image, ImageConfig config, java.nio.file.Path layerTar) throws EngineException;

  /**
   * A text file of the image (e.g. /etc/passwd), if it has one; no container is started. A file larger than a real
   * one would be is refused ({@code invalid_base_image}), not read.
   */
  java.util.Optional<String> readFile(String image, String path) throws EngineException;

  /** A new image with {@code image}'s filesystem and exactly {@code config} (no container is started). */
  String commitConfig(String image, ImageConfig config) throws EngineException;

  /**
   * Starts a container of {@code image} running {@code check.startCmd()} and probes it until the probe passes or
   * the check times out; the container is removed either way.
   */
  StartResult checkStart(String image, ImageConfig config, StartCheck check,
      StepLimits limits, LogSink log) throws EngineException, InterruptedException;

  /** The image's size in bytes, all its layers included. */
  long imageSize(String image) throws EngineException;

  /** Tags {@code image} as {@code repository:tag}. */
  void tag(String image, String repository, String tag) throws EngineException;

  /**
   * Tags {@code image} as {@code repository:tag} ({@code repository} names its registry) and pushes it there;
   * returns the pushed manifest's digest ({@code sha256:...}).
   */
  String push(String image, String repository, String tag) throws EngineException, InterruptedException;

  /**
   * A resolved base image: its id, config, and the digest its cache keys start from (the registry's manifest digest,
   * or the image id for an image that never came from a registry).
   */
  record BaseImage(String id, ImageConfig config, String digest) {}

  /** The start check's verdict and, when it failed, why (with the container's last output). */
  record StartResult(boolean passed, String detail) {}

  /** A finished RUN: its exit code, on success the committed image, and whether the kernel killed it for memory. */
  record RunResult(int exitCode, String image, boolean outOfMemory) {
    public RunResult(int exitCode, String image) {
      this(exitCode, image, false);
    }

    /** A RUN the kernel's OOM killer ended: over the build's memory. */
    public static RunResult outOfMemory(int exitCode) {
      return new RunResult(exitCode, null, true);
    }
  }
}
