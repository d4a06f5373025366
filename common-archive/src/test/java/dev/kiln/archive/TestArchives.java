package dev.kiln.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds gzip tarballs, benign and hostile, in memory. */
public final class TestArchives {
  private static final java.util.Date FIXED_TIME = new java.util.Date(1_700_000_000_000L);
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final TarArchiveOutputStream tar;

  public TestArchives() {
    try {
      tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes));
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public TestArchives file(String name, String content) {
    return file(name, content.getBytes(StandardCharsets.UTF_8), 0644);
  }

  public TestArchives file(String name, byte[] content, int mode) {
    TarArchiveEntry entry = new TarArchiveEntry(name);
    entry.setSize(content.length);
    entry.setMode(mode);
    return put(entry, content);
  }

  public TestArchives directory(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
    entry.setMode(0755);
    return put(entry, null);
  }

  public TestArchives symlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
    entry.setLinkName(target);
    return put(entry, null);
  }

  public TestArchives hardlink(String name, String target) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK);
    entry.setLinkName(target);
    return put(entry, null);
  }

  public TestArchives charDevice(String name) {
    TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_CHR);
    return put(entry, null);
  }

  /** A file entry whose name is written as given, even when absolute (TarArchiveEntry strips a leading '/'). */
  public TestArchives rawFile(String name, String content) {
    TarArchiveEntry entry = new TarArchiveEntry(name, true);
    byte[] data = content.getBytes(StandardCharsets.UTF_8);
    entry.setSize(data.length);
    return put(entry, data);
  }

  /**
   * An old-GNU sparse archive: one file "holes" of 64 MiB (one byte, then a hole) in 136 bytes. Made once with
   * {@code truncate -s 64M holes; tar --sparse --format=gnu -czf}, since TarArchiveOutputStream cannot write sparse
   * entries.
   */
  public static byte[] sparse64MiB() {
    try (InputStream in = TestArchives.class.getResourceAsStream("/archives/sparse-64mib.tar.gz")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private TestArchives put(TarArchiveEntry entry, byte[] content) {
    try {
      // A fixed time, so that the same entries make the same bytes: an entry stamped "now" differs across a second.
      entry.setModTime(FIXED_TIME);
      tar.putArchiveEntry(entry);
      if (content != null) {
        tar.write(content);
      }
      tar.closeArchiveEntry();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public byte[] gzip() {
    try {
      tar.close();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
