package dev.kiln.worker.engine.step;

import java.io.IOException;
import java.io.InputStream;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Where COPY steps find the files the organization uploaded, by files hash (a gzip tarball). */
@FunctionalInterface
public interface FileSource {
  InputStream open(String filesHash) throws IOException;

  /**
   * The sha256 of the upload's bytes, as verified when it was stored: what a COPY's cache key is made of. This
   * default reads the whole upload; a store that recorded the digest answers without reading.
   */
  default String digest(String filesHash) throws IOException {
    try (DigestInputStream in = new DigestInputStream(open(filesHash), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(in.getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
