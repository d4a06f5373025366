package dev.kiln.worker.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectImageResponse;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.ContainerConfig;
import com.github.dockerjava.api.model.HostConfig;
import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.runner.EngineUnavailable;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.worker.engine.step.EngineException;
import dev.kiln.worker.engine.step.ImageConfig;
import dev.kiln.worker.engine.step.ImageEngine;
import dev.kiln.worker.engine.step.LogSink;
import dev.kiln.worker.engine.step.StartCheck;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import dev.kiln.worker.sweep.BuildContainerName;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;


/** {@link ImageEngine} on a Docker engine through docker-java; one instance per build attempt, for its names. */
public final class DockerImageEngine implements ImageEngine {
  private static final long NANOS_PER_CPU = 1_000_000_000L;
  /** The most Kiln reads of a file in an image (/etc/passwd, /etc/group, /etc/alpine-release). */
  static final int MAX_IMAGE_FILE_BYTES = 1024 * 1024;
  private static final long MB = 1024L * 1024;
  private static final long DISK_CHECK_MILLIS = 1000;
  private final DockerConnection docker;
  private final BuildContainerName owner;
  private final ContainerHardening hardening;
  private final AtomicInteger containers = new AtomicInteger();
  /** Unique per engine, that is per claim: two claims of one build with one delivery count must not collide. */
  private final String nonce = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong() >>> 1, 36);
  private final RawCommit commits;
  private final RegistryAccess access;
  private final BuildNetwork network;

  /** An engine whose containers are named after {@code owner}, with the default hardening. */
  public DockerImageEngine(DockerConnection docker, BuildContainerName owner) {
    this(docker, owner, ContainerHardening.DEFAULT, SubnetPool.DEFAULT);
  }

  /**
   * An engine whose containers are named after {@code owner} (whose build and attempt, made by which worker) and
   * restricted by {@code hardening}, on a network of its own with a subnet from {@code networks}.
   */
  public DockerImageEngine(DockerConnection docker, BuildContainerName owner, ContainerHardening hardening,
      SubnetPool networks) {
    this.docker = docker;
    this.owner = owner;
    this.hardening = hardening;
    this.commits = new RawCommit(docker);
    this.access = new RegistryAccess(docker);
    this.network = new BuildNetwork(docker, owner.name(nonce), networks);
  }

  @Override
  public BaseImage resolveBase(String reference, RegistryCredentials credentials, boolean refresh,
      boolean ownTemplate) throws EngineException {
    ImageReference image = ImageReference.parse(reference);
    Optional<InspectImageResponse> local = inspect(image);
    if (ownTemplate && local.isPresent()) {
      return base(local.get());
    }
    AuthConfig auth = auth(image, credentials);
    if (!refresh && local.isPresent()) {
      // The node's copy may have come with another tenant's credentials: ask the registry whether this build may
      // have that image, and use the copy only if it is the very image the registry would give it.
      Optional<String> granted = access.digestGranted(image.toString(), auth);
      if (granted.isPresent() && digestsOf(local.get()).contains(granted.get())) {
        return base(local.get());
      }
    }
    return base(pull(image, auth));
  }

  private Optional<InspectImageResponse> inspect(ImageReference image) throws EngineException {
    try {
      return Optional.of(client().inspectImageCmd(image.toString()).exec());
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (DockerException e) {
      throw new EngineException(FailureReason.IMAGE_PULL_FAILED, "could not inspect " + image + ": " + e.getMessage(), e);
    }
  }

  private InspectImageResponse pull(ImageReference image, AuthConfig auth) throws EngineException {
    try {
      // Always with an explicit auth (empty: anonymous); without one docker-java would send the credentials in
      // this host's ~/.docker/config.json, and a tenant would pull with Kiln's rights.
      client().pullImageCmd(image.repository()).withTag(image.tagOrDigest()).withAuthConfig(auth).start()
          .awaitCompletion();
      return client().inspectImageCmd(image.toString()).exec();
    } catch (DockerClientException e) {
      // The engine's pull stream reported an error (a refused layer, a manifest that went away mid-pull).
      if (EngineUnavailable.isCause(e)) {
        throw new EngineUnavailable(e);
      }
      throw new EngineException(FailureReason.IMAGE_PULL_FAILED, "could not pull " + image + ": " + e.getMessage(), e);
    } catch (DockerException e) {
      throw new EngineException(FailureReason.IMAGE_PULL_FAILED, "could not pull " + image + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException(FailureReason.IMAGE_PULL_FAILED, "interrupted while pulling " + image, e);
    }
  }

  /** The build's own credentials for the image's registry, or an empty (anonymous) auth. */
  private static AuthConfig auth(ImageReference image, RegistryCredentials credentials) {
    AuthConfig auth = new AuthConfig().withRegistryAddress(image.registry());
    if (credentials == null) {
      return auth;
    }
    return credentials.type().equals("token") ? auth.withRegistrytoken(credentials.password())
        : auth.withUsername(credentials.username()).withPassword(credentials.password());
  }

  private static BaseImage base(InspectImageResponse image) {
    ContainerConfig config = image.getConfig();
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : config == null || config.getEnv() == null ? new String[0] : config.getEnv()) {
      int equals = pair.indexOf('=');
      env.put(equals < 0 ? pair : pair.substring(0, equals), equals < 0 ? "" : pair.substring(equals + 1));
    }
    return new BaseImage(image.getId(), config == null ? ImageConfig.empty() : new ImageConfig(env,
        nullToEmpty(config.getWorkingDir()), nullToEmpty(config.getUser()), list(config.getCmd()),
        list(config.getEntrypoint())), digestOf(image));
  }

  /** The manifest digest of an image pulled from a registry (the same on every node), else its id. */
  private static String digestOf(InspectImageResponse image) {
    return digestsOf(image).stream().sorted().findFirst().orElse(image.getId());
  }

  /** The manifest digests this image was pulled by, in any repository. */
  private static List<String> digestsOf(InspectImageResponse image) {
    List<String> repoDigests = image.getRepoDigests() == null ? List.of() : image.getRepoDigests();
    return repoDigests.stream().map(digest -> digest.substring(digest.indexOf('@') + 1)).toList();
  }

  @Override
  public RunResult run(String image, ImageConfig config, String command, StepLimits limits, LogSink log)
      throws EngineException, InterruptedException {
    String container = create(image, config, command, limits, false);
    try {
      // The engine keeps no log of a build container: its output is only what an attach made before start sees.
      ContainerOutput output = attach(container, log);
      client().startContainerCmd(container).exec();
      int exit = awaitExit(container, limits);
      // The stream ends by itself once the container has exited; a timed wait would drop the last lines.
      output.awaitCompletion();
      if (exit != 0 && oomKilled(container)) {
        return RunResult.outOfMemory(exit);
      }
      return new RunResult(exit, exit == 0 ? commits.commit(container, config) : null);
    } catch (DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "container for '" + command + "' failed: " + e.getMessage(), e);
    } finally {
      remove(container);
    }
  }

  /** Follows the container's stdout and stderr from before its start, once the engine has taken the attach. */
  private ContainerOutput attach(String container, LogSink log) throws InterruptedException {
    ContainerOutput output = client().attachContainerCmd(container).withStdOut(true).withStdErr(true)
        .withFollowStream(true).exec(new ContainerOutput(log));
    output.awaitStarted();
    return output;
  }

  private boolean oomKilled(String container) {
    return Boolean.TRUE.equals(client().inspectContainerCmd(container).exec().getState().getOOMKilled());
  }

  private String create(String image, ImageConfig config, String command, StepLimits limits, boolean serving)
      throws EngineException {
    try {
      HostConfig host = hardening.apply(HostConfig.newHostConfig().withNanoCPUs(limits.cpus() * NANOS_PER_CPU)
          .withMemory(limits.memoryBytes()).withMemorySwap(limits.memoryBytes())
          .withNetworkMode(network.id()), serving);
      var create = client().createContainerCmd(image)
          .withEntrypoint("/bin/sh", "-c").withCmd(command)
          .withEnv(config.envList()).withName(nextName()).withHostConfig(host);
      // docker-java refuses null for these; unset means "as the image says".
      if (!config.workdir().isEmpty()) {
        create.withWorkingDir(config.workdir());
      }
      if (!config.user().isEmpty()) {
        create.withUser(config.user());
      }
      return create.exec().getId();
    } catch (DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not create a container of " + image + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits for the exit code; the transport has no working timeout on a unix socket, so the step limit is ours. The
   * disk limit is enforced while the step runs: overlay2 on ext4 has no size option, so the container's writable
   * layer is measured about once a second and the step stopped past the template's disk.
   */
  private int awaitExit(String container, StepLimits limits) throws InterruptedException, EngineException {
    ExitWatch wait = client().waitContainerCmd(container).exec(new ExitWatch());
    long deadline = System.nanoTime() + limits.stepTimeout().toNanos();
    try {
      while (!wait.ended(DISK_CHECK_MILLIS)) {
        if (System.nanoTime() > deadline) {
          throw new EngineException(FailureReason.TIMEOUT, "step exceeded " + limits.stepTimeout().toSeconds() + " s",
              null);
        }
        checkDisk(container, limits);
      }
      return wait.exitCode();
    } catch (InterruptedException e) {
      // Cancelled, timed out or lost: stop the container at once. The HTTP client refuses to work for an
      // interrupted thread, so clear the flag for the clean-up and raise it again afterwards.
      Thread.interrupted();
      kill(container);
      remove(container);
      throw e;
    } finally {
      close(wait);
    }
  }

  private static void close(java.io.Closeable stream) {
    try {
      stream.close();
    } catch (java.io.IOException ignored) {
      // the wait is over either way
    }
  }

  /** Stops the step once its writable layer holds more than the template's disk. */
  private void checkDisk(String container, StepLimits limits) throws EngineException {
    if (limits.diskBytes() == Long.MAX_VALUE) {
      return;
    }
    Long written = client().inspectContainerCmd(container).withSize(true).exec().getSizeRw();
    if (written != null && written > limits.diskBytes()) {
      kill(container);
      throw new EngineException(FailureReason.DISK_LIMIT_EXCEEDED, "the step wrote " + written / MB
          + " MB, over the template's " + limits.diskBytes() / MB + " MB of disk", null);
    }
  }

  @Override
  public String commitConfig(String image, ImageConfig config) throws EngineException {
    String container = createIdle(image);
    try {
      return commits.commit(container, config);
    } finally {
      remove(container);
    }
  }

  @Override
  public String addFiles(String image, ImageConfig config, Path layerTar) throws EngineException {
    String container = createIdle(image);
    try (InputStream tar = Files.newInputStream(layerTar)) {
      // One archive upload at the root: the layer carries its own parent directories.
      client().copyArchiveToContainerCmd(container).withRemotePath("/").withTarInputStream(tar).exec();
      return commits.commit(container, config);
    } catch (IOException | DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not add files to " + image + ": " + e.getMessage(), e);
    } finally {
      remove(container);
    }
  }

  @Override
  public Optional<String> readFile(String image, String path) throws EngineException {
    String container = createIdle(image);
    try (TarArchiveInputStream tar = new TarArchiveInputStream(
        client().copyArchiveFromContainerCmd(container, path).exec())) {
      TarArchiveEntry entry = tar.getNextEntry();
      if (entry == null) {
        return Optional.empty();
      }
      // The image is the user's: its /etc/passwd may be any size. Read no more than a real one would need.
      if (entry.getSize() > MAX_IMAGE_FILE_BYTES) {
        throw new EngineException(FailureReason.INVALID_BASE_IMAGE, path + " in the image is " + entry.getSize()
            + " bytes, more than the " + MAX_IMAGE_FILE_BYTES + " Kiln reads", null);
      }
      return Optional.of(new String(tar.readNBytes(MAX_IMAGE_FILE_BYTES), StandardCharsets.UTF_8));
    } catch (NotFoundException absent) {
      return Optional.empty();
    } catch (IOException | DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not read " + path + " of " + image + ": " + e.getMessage(), e);
    } finally {
      remove(container);
    }
  }

  /** A container that is never started: it only carries a filesystem. A create always needs a command. */
  private String createIdle(String image) throws EngineException {
    try {
      return client().createContainerCmd(image).withEntrypoint("/bin/sh", "-c").withCmd("true")
          .withName(nextName()).exec().getId();
    } catch (DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not create a container of " + image + ": " + e.getMessage(), e);
    }
  }

  @Override
  public StartResult checkStart(String image, ImageConfig config, StartCheck check, StepLimits limits, LogSink log)
      throws EngineException, InterruptedException {
    String container = create(image, config, check.startCmd(), limits, true);
    try {
      LastLines tail = new LastLines(StartProbe.TAIL_LINES, StartProbe.TAIL_LINE_CHARS);
      attach(container, tail);
      client().startContainerCmd(container).exec();
      return new StartProbe(client(), container, check, tail).await();
    } catch (DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not start '" + check.startCmd() + "': " + e.getMessage(), e);
    } finally {
      remove(container);
    }
  }

  @Override
  public long imageSize(String image) throws EngineException {
    try {
      Long size = client().inspectImageCmd(image).exec().getSize();
      return size == null ? 0 : size;
    } catch (RuntimeException e) {
      throw unlessUnavailable(e, FailureReason.ENGINE_ERROR, "could not inspect " + image);
    }
  }

  @Override
  public String push(String image, String repository, String tag) throws EngineException, InterruptedException {
    tag(image, repository, tag);
    try {
      return ImagePush.push(docker, repository, tag);
    } catch (RuntimeException e) {
      throw unlessUnavailable(e, FailureReason.IMAGE_PUSH_FAILED, "could not push " + repository + ":" + tag);
    }
  }

  @Override
  public void tag(String image, String repository, String tag) throws EngineException {
    try {
      client().tagImageCmd(image, repository, tag).withForce().exec();
    } catch (DockerException e) {
      throw new EngineException(FailureReason.ENGINE_ERROR, "could not tag " + repository + ":" + tag + ": " + e.getMessage(), e);
    }
  }

  /** An engine that answered with an error is this build's failure; one that could not be reached is not. */
  private static EngineException unlessUnavailable(RuntimeException e, FailureReason reason, String what) {
    if (EngineUnavailable.isCause(e)) {
      throw new EngineUnavailable(e);
    }
    return new EngineException(reason, what + ": " + e.getMessage(), e);
  }

  /**
   * Removes the build's network. Each container was removed by the call that made it; one whose removal failed
   * keeps the network until the sweeper removes both.
   */
  @Override
  public void close() {
    network.remove();
  }

  private void kill(String container) {
    try {
      client().killContainerCmd(container).exec();
    } catch (RuntimeException ignored) {
      // already stopped
    }
  }

  private void remove(String container) {
    // A stopped build's thread may be interrupted, and the HTTP client refuses to work for it: clear the flag for
    // the clean-up and raise it again afterwards, or the container (and with it the network) would stay behind.
    boolean interrupted = Thread.interrupted();
    try {
      client().removeContainerCmd(container).withForce(true).exec();
    } catch (RuntimeException ignored) {
      // gone already; a stray container is swept by its name later
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private String nextName() {
    return owner.name(nonce + "-" + containers.incrementAndGet());
  }

  private DockerClient client() {
    return docker.client();
  }

  private static List<String> list(String[] values) {
    return values == null ? List.of() : Arrays.asList(values);
  }

  private static String nullToEmpty(String value) {
    return value == null ? "" : value;
  }
}
