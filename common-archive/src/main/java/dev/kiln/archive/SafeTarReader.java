package dev.kiln.archive;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.io.input.BoundedInputStream;

/**
 * Streams a gzip tarball entry by entry and refuses anything hostile: absolute paths, {@code ..}, links that point
 * out, devices, sparse files, and archives past the limits (size, entries, compression ratio). Nothing is written anywhere:
 * callers decide what to do with each checked entry.
 */
public final class SafeTarReader {
  private final ArchiveLimits limits;

  public SafeTarReader(ArchiveLimits limits) {
    this.limits = limits;
  }

  /** Receives each checked entry with its content (empty for anything but files). */
  @FunctionalInterface
  public interface EntryHandler {
    void accept(SafeEntry entry, InputStream content) throws IOException;
  }

  /** Reads the whole archive, calling {@code handler} per entry; fails at the first unsafe entry or limit. */
  public void read(InputStream gzipTar, EntryHandler handler) throws IOException, UnsafeArchiveException {
    BoundedInputStream compressed = BoundedInputStream.builder()
        .setInputStream(gzipTar).setMaxCount(limits.maxCompressedBytes() + 1).get();
    TarArchiveInputStream tar;
    try {
      tar = new TarArchiveInputStream(new GZIPInputStream(new BufferedInputStream(compressed, 65536), 65536));
    } catch (IOException e) {
      throw new UnsafeArchiveException("not a gzip archive: " + e.getMessage());
    }
    long unpacked = 0;
    int entries = 0;
    TarArchiveEntry entry;
    while ((entry = next(tar)) != null) {
      entries++;
      refuseSparse(entry);
      unpacked += Math.max(0, entry.getSize());
      checkLimits(entries, unpacked, compressed.getCount());
      handler.accept(check(entry), tar);
    }
    if (compressed.getCount() > limits.maxCompressedBytes()) {
      throw new UnsafeArchiveException("archive is larger than " + limits.maxCompressedBytes() + " bytes");
    }
    if (entries == 0) {
      throw new UnsafeArchiveException("archive has no entries");
    }
  }

  private static TarArchiveEntry next(TarArchiveInputStream tar) throws UnsafeArchiveException {
    try {
      return tar.getNextEntry();
    } catch (IOException | IllegalArgumentException e) {
      throw new UnsafeArchiveException("corrupt archive: " + e.getMessage());
    }
  }

  /**
   * Sparse entries (old GNU, PAX 0.x/1.0, star) are refused outright: their stored size says nothing of what they
   * expand to (300 bytes can hold 2 GB of holes), and Kiln's clients never send them.
   */
  private static void refuseSparse(TarArchiveEntry entry) throws UnsafeArchiveException {
    if (entry.isSparse() || entry.getRealSize() > entry.getSize()) {
      throw new UnsafeArchiveException(entry.getName() + ": sparse files are not allowed");
    }
  }

  private void checkLimits(int entries, long unpacked, long compressedSoFar) throws UnsafeArchiveException {
    if (entries > limits.maxEntries()) {
      throw new UnsafeArchiveException("archive has more than " + limits.maxEntries() + " entries");
    }
    if (unpacked > limits.maxUnpackedBytes()) {
      throw new UnsafeArchiveException("archive unpacks to more than " + limits.maxUnpackedBytes() + " bytes");
    }
    if (compressedSoFar > limits.maxCompressedBytes()) {
      throw new UnsafeArchiveException("archive is larger than " + limits.maxCompressedBytes() + " bytes");
    }
    // Declared sizes are checked before the content is read, so a bomb is refused before it expands.
    if (unpacked > limits.ratioFloorBytes() && unpacked > (long) limits.maxRatio() * Math.max(1, compressedSoFar)) {
      throw new UnsafeArchiveException("archive expands more than " + limits.maxRatio() + " times");
    }
  }

  private static SafeEntry check(TarArchiveEntry entry) throws UnsafeArchiveException {
    String path = normalize(entry.getName(), entry.getName());
    int mode = entry.getMode() & 07777;
    if (entry.isCharacterDevice() || entry.isBlockDevice() || entry.isFIFO()) {
      throw new UnsafeArchiveException(entry.getName() + ": device files, FIFOs and other special entries are not allowed");
    }
    if (entry.isSymbolicLink()) {
      return new SafeEntry(path, SafeEntry.Kind.SYMLINK, mode, 0, symlinkTarget(path, entry.getLinkName()));
    }
    if (entry.isLink()) {
      return new SafeEntry(path, SafeEntry.Kind.HARDLINK, mode, 0, normalize(entry.getLinkName(), entry.getName()));
    }
    if (entry.isDirectory()) {
      return new SafeEntry(path, SafeEntry.Kind.DIRECTORY, mode, 0, null);
    }
    if (entry.isFile()) {
      return new SafeEntry(path, SafeEntry.Kind.FILE, mode, entry.getSize(), null);
    }
    throw new UnsafeArchiveException(entry.getName() + ": device files, FIFOs and other special entries are not allowed");
  }

  /** A relative path without {@code .}, empty or {@code ..} segments; absolute paths and escapes are refused. */
  static String normalize(String name, String entryName) throws UnsafeArchiveException {
    if (name.startsWith("/") || name.contains("\0")) {
      throw new UnsafeArchiveException(entryName + ": absolute paths are not allowed");
    }
    Deque<String> segments = new ArrayDeque<>();
    for (String segment : name.split("/")) {
      if (segment.isEmpty() || segment.equals(".")) {
        continue;
      }
      if (segment.equals("..")) {
        throw new UnsafeArchiveException(entryName + ": '..' is not allowed in archive paths");
      }
      segments.addLast(segment);
    }
    if (segments.isEmpty()) {
      return ".";
    }
    return String.join("/", segments);
  }

  /** A symlink may point anywhere inside the archive, relatively; never absolutely, never above its root. */
  private static String symlinkTarget(String path, String target) throws UnsafeArchiveException {
    if (target.startsWith("/")) {
      throw new UnsafeArchiveException(path + ": symlink to an absolute path (" + target + ") points out of the archive");
    }
    Deque<String> resolved = new ArrayDeque<>();
    String[] parents = path.split("/");
    for (int i = 0; i < parents.length - 1; i++) {
      resolved.addLast(parents[i]);
    }
    for (String segment : target.split("/")) {
      if (segment.equals("..")) {
        if (resolved.isEmpty()) {
          throw new UnsafeArchiveException(path + ": symlink to " + target + " points out of the archive");
        }
        resolved.removeLast();
      } else if (!segment.isEmpty() && !segment.equals(".")) {
        resolved.addLast(segment);
      }
    }
    return target;
  }
}
