package dev.kiln.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** {@link BlobStore} in a directory: {@code <root>/<organization>/<hash>.tar.gz} and its {@code .properties}. */
public final class LocalDirectoryBlobStore implements BlobStore {
  private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private final Path root;

  public LocalDirectoryBlobStore(Path root) {
    this.root = root;
  }

  @Override
  public Optional<BlobInfo> info(String organizationId, String filesHash) throws IOException {
    Path meta = path(organizationId, filesHash, ".properties");
    if (!Files.exists(meta) || !Files.exists(path(organizationId, filesHash, ".tar.gz"))) {
      return Optional.empty();
    }
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(meta)) {
      properties.load(reader);
    }
    return Optional.of(new BlobInfo(filesHash, properties.getProperty("sha256"),
        Long.parseLong(properties.getProperty("size")), Instant.parse(properties.getProperty("storedAt"))));
  }

  @Override
  public void put(String organizationId, String filesHash, Path verifiedArchive, BlobInfo info) throws IOException {
    Path archive = path(organizationId, filesHash, ".tar.gz");
    Files.createDirectories(archive.getParent());
    Path meta = path(organizationId, filesHash, ".properties");
    Path metaTemp = Files.createTempFile(archive.getParent(), ".upload-", ".properties");
    Properties properties = new Properties();
    properties.setProperty("sha256", info.sha256());
    properties.setProperty("size", String.valueOf(info.size()));
    properties.setProperty("storedAt", info.storedAt().toString());
    try (Writer writer = Files.newBufferedWriter(metaTemp)) {
      properties.store(writer, "upload " + filesHash);
    }
    // The archive lands before its metadata, and info() needs both: a reader never sees half an upload.
    move(verifiedArchive, archive);
    move(metaTemp, meta);
  }

  @Override
  public InputStream open(String organizationId, String filesHash) throws IOException {
    return Files.newInputStream(path(organizationId, filesHash, ".tar.gz"));
  }

  private Path path(String organizationId, String filesHash, String suffix) {
    if (!SAFE.matcher(organizationId).matches() || !SAFE.matcher(filesHash).matches()) {
      throw new IllegalArgumentException("invalid organization or hash");
    }
    return root.resolve(organizationId).resolve(filesHash + suffix);
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
