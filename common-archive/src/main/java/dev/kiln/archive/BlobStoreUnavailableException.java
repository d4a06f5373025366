package dev.kiln.archive;

import java.io.IOException;

/**
 * The store cannot create blobs at all, for instance because its filesystem refuses the hard link that claims a
 * blob exactly once: a fault of the store's set-up, not of the upload, and the same upload may succeed elsewhere.
 */
public final class BlobStoreUnavailableException extends IOException {
  public BlobStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
