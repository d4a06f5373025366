package dev.kiln.worker.messaging;

import dev.kiln.archive.BlobInfo;
import dev.kiln.archive.BlobStore;
import dev.kiln.worker.engine.step.FileSource;
import java.io.IOException;
import java.io.InputStream;

/** An organization's uploads as COPY steps see them: opened by files hash, keyed by the digest verified on upload. */
final class UploadedFiles implements FileSource {
  private final BlobStore uploads;
  private final String organizationId;

  UploadedFiles(BlobStore uploads, String organizationId) {
    this.uploads = uploads;
    this.organizationId = organizationId;
  }

  @Override
  public InputStream open(String filesHash) throws IOException {
    return uploads.open(organizationId, filesHash);
  }

  @Override
  public String digest(String filesHash) throws IOException {
    return uploads.info(organizationId, filesHash).map(BlobInfo::sha256)
        .orElseThrow(() -> new IOException("no upload " + filesHash + " in this organization"));
  }
}
