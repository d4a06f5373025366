package dev.kiln.worker.engine.step;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * COPY: the uploaded files, unpacked under the destination with Docker COPY semantics, owner and permissions
 * applied, added as one layer. The archive is checked again while it is unpacked.
 */
public record CopyStep(List<String> sources, String destination, String filesHash, String owner, String permissions,
    ArchiveLimits limits) implements BuildStep {

  public CopyStep {
    sources = List.copyOf(sources);
  }

  /** A COPY under the default archive limits. */
  public CopyStep(List<String> sources, String destination, String filesHash, String owner, String permissions) {
    this(sources, destination, filesHash, owner, permissions, ArchiveLimits.DEFAULT);
  }

  @Override
  public String kind() {
    return "COPY";
  }

  @Override
  public String normalized() {
    return "COPY " + String.join(",", sources) + " " + destination + " files=" + filesHash
        + (owner == null ? "" : " owner=" + owner) + (permissions == null ? "" : " mode=" + permissions);
  }

  /** The client's hash names the files; the digest verified on upload is what they are. */
  @Override
  public String cacheInput(FileSource files) throws IOException {
    return normalized() + " sha256=" + files.digest(filesHash);
  }

  @Override
  public boolean metadataOnly() {
    return false;
  }

  @Override
  public StepResult apply(StepContext context) throws InterruptedException {
    Path layer = null;
    try {
      Ownership ownership = Ownership.resolve(owner, context.engine(), context.image());
      CopyLayout layout = new CopyLayout(sources, absoluteDestination(context.config().workdir()), ownership,
          permissions == null ? null : Integer.parseInt(permissions, 8), limits);
      layer = Files.createTempFile("kiln-copy-", ".tar");
      try (InputStream upload = context.files().open(filesHash)) {
        layout.repack(upload, layer);
      }
      String image = context.engine().addFiles(context.image(), context.config(), layer);
      return StepResult.done(image, context.config());
    } catch (UnsafeArchiveException e) {
      return StepResult.failed(FailureReason.UNSAFE_ARCHIVE, "refused the uploaded files: " + e.getMessage());
    } catch (IllegalArgumentException e) {
      return StepResult.failed(FailureReason.INVALID_COPY, e.getMessage());
    } catch (IOException e) {
      return StepResult.failed(FailureReason.COPY_FAILED, "could not read the uploaded files " + filesHash + ": " + e.getMessage());
    } catch (EngineException e) {
      return StepResult.failed(e.reason(), e.getMessage());
    } finally {
      deleteQuietly(layer);
    }
  }

  /** Docker resolves a relative COPY destination against the working directory. */
  private String absoluteDestination(String workdir) {
    if (destination.startsWith("/")) {
      return destination;
    }
    String base = workdir == null || workdir.isEmpty() ? "/" : workdir;
    return (base.endsWith("/") ? base : base + "/") + destination;
  }

  private static void deleteQuietly(Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException ignored) {
        // a temp file; the OS cleans it eventually
      }
    }
  }
}
