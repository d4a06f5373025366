package dev.kiln.worker.messaging;

import dev.kiln.archive.BlobInfo;
import dev.kiln.archive.BlobStore;
import dev.kiln.template.FilesHashes;
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
    return uploads.open(organizationId, checked(filesHash));
  }

  @Override
  public String digest(String filesHash) throws IOException {
    return uploads.info(organizationId, checked(filesHash)).map(BlobInfo::sha256)
        .orElseThrow(() -> new IOException("no upload " + filesHash + " in this organization"));
  }

  /** The gateway sends only normalized hashes: another form is a request no gateway wrote, never a blob name. */
  private static String checked(String filesHash) throws IOException {
    if (!FilesHashes.isNormalized(filesHash)) {
      throw new IOException("files hash " + filesHash + " is not a lowercase sha256 hex digest");
    }
    return filesHash;
  }
}
