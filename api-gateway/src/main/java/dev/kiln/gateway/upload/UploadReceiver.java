package dev.kiln.gateway.upload;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.BlobInfo;
import dev.kiln.archive.BlobStore;
import dev.kiln.archive.BlobStoreUnavailableException;
import dev.kiln.archive.SafeTarReader;
import dev.kiln.archive.UnsafeArchiveException;
import dev.kiln.gateway.refusal.Conflict;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.Unavailable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives an upload: spools it to a temporary file while hashing and counting, checks the archive entry by entry,
 * and only then stores it, exactly once per key. A refused upload leaves nothing behind.
 */
public final class UploadReceiver {
  private static final Logger log = LoggerFactory.getLogger(UploadReceiver.class);
  private final BlobStore blobs;
  private final ArchiveLimits limits;
  private final Path spoolDir;
  private final Clock clock;

  public UploadReceiver(BlobStore blobs, ArchiveLimits limits, Path spoolDir, Clock clock) {
    this.blobs = blobs;
    this.limits = limits;
    this.spoolDir = spoolDir;
    this.clock = clock;
  }

  /**
   * Stores the body as the key's blob, or answers the blob already stored when the bytes are the same;
   * other bytes for a stored key are a {@link Conflict}: a COPY source never changes after its digest was recorded.
   */
  public BlobInfo receive(String organizationId, String filesHash, long signedLength, InputStream body)
      throws IOException {
    Files.createDirectories(spoolDir);
    Path spooled = Files.createTempFile(spoolDir, "upload-", ".tar.gz");
    try {
      MessageDigest sha256 = sha256();
      long size = spool(new DigestInputStream(body, sha256), spooled, signedLength);
      verify(spooled);
      BlobInfo info = new BlobInfo(filesHash, HexFormat.of().formatHex(sha256.digest()), size, clock.instant());
      BlobInfo stored = store(organizationId, filesHash, spooled, info);
      if (!stored.sha256().equals(info.sha256())) {
        throw new Conflict("files " + filesHash + " were already uploaded with other content (sha256 "
            + stored.sha256() + "); an upload link stores one content only");
      }
      return stored;
    } finally {
      Files.deleteIfExists(spooled);
    }
  }

  /** A store that cannot create blobs is the gateway's fault, worth retrying elsewhere: 503, and the cause logged. */
  private BlobInfo store(String organizationId, String filesHash, Path spooled, BlobInfo info) throws IOException {
    try {
      return blobs.put(organizationId, filesHash, spooled, info);
    } catch (BlobStoreUnavailableException e) {
      log.error("upload {} of organization {} not stored", filesHash, organizationId, e);
      throw new Unavailable("uploads cannot be stored on this gateway right now");
    }
  }

  /** Copies exactly {@code expected} bytes; reads at most one byte more, enough to tell the body is too long. */
  private long spool(InputStream body, Path target, long expected) throws IOException {
    if (expected < 1 || expected > limits.maxCompressedBytes()) {
      throw new InvalidRequest("length must be between 1 and " + limits.maxCompressedBytes() + " bytes");
    }
    long total = 0;
    byte[] buffer = new byte[65536];
    try (OutputStream out = Files.newOutputStream(target)) {
      for (int read; (read = body.read(buffer, 0, (int) Math.min(buffer.length, expected + 1 - total))) > 0; ) {
        total += read;
        if (total > expected) {
          throw new InvalidRequest("upload is longer than the signed content_length of " + expected + " bytes");
        }
        out.write(buffer, 0, read);
      }
    }
    if (total == 0) {
      throw new InvalidRequest("upload is empty: send the gzip tarball as the request body");
    }
    if (total < expected) {
      throw new InvalidRequest("upload is " + total + " bytes, shorter than the signed content_length of "
          + expected + " bytes");
    }
    return total;
  }

  private void verify(Path spooled) throws IOException {
    try (InputStream in = Files.newInputStream(spooled)) {
      new SafeTarReader(limits).read(in, (entry, content) -> content.transferTo(OutputStream.nullOutputStream()));
    } catch (UnsafeArchiveException e) {
      throw new InvalidRequest("archive refused: " + e.getMessage());
    }
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
