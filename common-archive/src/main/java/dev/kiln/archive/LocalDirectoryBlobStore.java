package dev.kiln.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

/** {@link BlobStore} in a directory: {@code <root>/<organization>/<hash>.tar.gz} and its {@code .properties}, created once. */
public final class LocalDirectoryBlobStore implements BlobStore {
  private static final Pattern SAFE = Pattern.compile("[a-z0-9][a-z0-9._-]*");
  private final Path root;
  private final Linker linker;

  public LocalDirectoryBlobStore(Path root) {
    this(root, Files::createLink);
  }

  /** A store whose claims go through {@code linker}: tests stand in a filesystem without hard links. */
  LocalDirectoryBlobStore(Path root, Linker linker) {
    this.root = root;
    this.linker = linker;
  }

  /** Creates {@code link} as a hard link to {@code existing}, failing if {@code link} exists. */
  @FunctionalInterface
  interface Linker {
    void link(Path link, Path existing) throws IOException;
  }

  @Override
  public Optional<BlobInfo> info(String organizationId, String filesHash) throws IOException {
    Path meta = path(organizationId, filesHash, ".properties");
    if (!Files.exists(meta) || !Files.exists(path(organizationId, filesHash, ".tar.gz"))) {
      return Optional.empty();
    }
    return Optional.of(read(meta, filesHash));
  }

  private static BlobInfo read(Path meta, String filesHash) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(meta)) {
      properties.load(reader);
    }
    return new BlobInfo(filesHash, properties.getProperty("sha256"),
        Long.parseLong(properties.getProperty("size")), Instant.parse(properties.getProperty("storedAt")));
  }

  @Override
  public BlobInfo put(String organizationId, String filesHash, Path verifiedArchive, BlobInfo info) throws IOException {
    Path archive = path(organizationId, filesHash, ".tar.gz");
    Files.createDirectories(archive.getParent());
    Path meta = path(organizationId, filesHash, ".properties");
    Path metaTemp = writeTemp(archive.getParent(), filesHash, info);
    try {
      claim(meta, metaTemp);
    } catch (FileAlreadyExistsException e) {
      return existing(organizationId, filesHash, verifiedArchive, info);
    } finally {
      Files.deleteIfExists(metaTemp);
    }
    move(verifiedArchive, archive);
    return info;
  }

  /**
   * The metadata is the claim: a hard link fails if the name exists, so exactly one put wins, and a loser only
   * ever reads a complete file. The archive lands after it, and info() needs both. There is no fallback: an
   * exclusive create would let a loser read a half-written file, a rename would let both puts win.
   */
  private void claim(Path meta, Path metaTemp) throws IOException {
    try {
      linker.link(meta, metaTemp);
    } catch (FileAlreadyExistsException e) {
      throw e;
    } catch (UnsupportedOperationException | FileSystemException e) {
      throw new BlobStoreUnavailableException("cannot claim " + meta + " with a hard link (" + e + "): the blob "
          + "directory must be on a filesystem with hard links (a local disk; not FAT or some network shares)", e);
    }
  }

  /** The blob another put claimed; identical bytes may still complete it if that put died before its archive. */
  private BlobInfo existing(String organizationId, String filesHash, Path verifiedArchive, BlobInfo info)
      throws IOException {
    BlobInfo stored = read(path(organizationId, filesHash, ".properties"), filesHash);
    Path archive = path(organizationId, filesHash, ".tar.gz");
    if (stored.sha256().equals(info.sha256()) && !Files.exists(archive)) {
      move(verifiedArchive, archive);
    }
    return stored;
  }

  private static Path writeTemp(Path dir, String filesHash, BlobInfo info) throws IOException {
    Path metaTemp = Files.createTempFile(dir, ".upload-", ".properties");
    Properties properties = new Properties();
    properties.setProperty("sha256", info.sha256());
    properties.setProperty("size", String.valueOf(info.size()));
    properties.setProperty("storedAt", info.storedAt().toString());
    try (Writer writer = Files.newBufferedWriter(metaTemp)) {
      properties.store(writer, "upload " + filesHash);
    }
    return metaTemp;
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

  /** Only the claim's owner, or a put of identical bytes, moves an archive in: replacing is then harmless. */
  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
