package dev.kiln.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Uploaded COPY sources, content-addressed per organization by the client's files hash. A local directory for a
 * single machine; storage every worker can reach (an OCI registry, S3) for a fleet.
 */
public interface BlobStore {
  /** The stored upload's facts, if the organization uploaded it. */
  Optional<BlobInfo> info(String organizationId, String filesHash) throws IOException;

  /**
   * Stores a verified archive (moved, not copied) unless the key already holds one, atomically even against a
   * concurrent put: a blob is created once and never replaced. Returns what the key holds afterwards: {@code info}
   * itself when this call stored it, else the existing blob's facts (the caller compares their sha256).
   */
  BlobInfo put(String organizationId, String filesHash, Path verifiedArchive, BlobInfo info) throws IOException;

  /** Opens a stored archive. */
  InputStream open(String organizationId, String filesHash) throws IOException;
}
