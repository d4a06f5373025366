package dev.kiln.worker.engine.step;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.SafeEntry;
import dev.kiln.archive.SafeTarReader;
import dev.kiln.archive.UnsafeArchiveException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Re-packs an uploaded tarball into a layer rooted at {@code /} with Docker COPY semantics: a directory source's
 * contents go under the destination; a single file goes to the destination, or into it when it ends with
 * {@code /}. Entries that match no source (the destination-only form) keep their paths under the destination.
 */
final class CopyLayout {
  private final List<String> sources;
  private final String destination;
  private final boolean destinationIsDirectory;
  private final Ownership ownership;
  private final Integer mode;
  private final ArchiveLimits limits;

  CopyLayout(List<String> sources, String destination, Ownership ownership, Integer mode, ArchiveLimits limits) {
    this.limits = limits;
    this.sources = sources.stream().map(CopyLayout::clean).filter(s -> !s.isEmpty()).toList();
    this.destination = clean(destination);
    this.destinationIsDirectory = destination.endsWith("/") || this.sources.size() != 1;
    this.ownership = ownership;
    this.mode = mode;
  }

  void repack(InputStream upload, Path layer) throws IOException, UnsafeArchiveException {
    try (OutputStream file = Files.newOutputStream(layer);
         TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      Set<String> written = new LinkedHashSet<>();
      parents(destination + "/x", tar, written);
      new SafeTarReader(limits).read(upload, (entry, content) -> {
        String target = target(entry.path(), entry.kind() == SafeEntry.Kind.DIRECTORY);
        parents(target, tar, written);
        write(entry, target, content, tar);
        written.add(target);
      });
    }
  }

  /** Where an archive path lands, relative to {@code /}. */
  String target(String path, boolean directory) {
    for (String source : sources) {
      if (path.equals(source)) {
        boolean copiesIntoDestination = destinationIsDirectory && !directory;
        return copiesIntoDestination ? join(destination, path.substring(path.lastIndexOf('/') + 1)) : destination;
      }
      if (path.startsWith(source + "/")) {
        return join(destination, path.substring(source.length() + 1));
      }
    }
    return path.equals(".") ? destination : join(destination, path);
  }

  private void write(SafeEntry entry, String target, InputStream content, TarArchiveOutputStream tar)
      throws IOException {
    TarArchiveEntry out = switch (entry.kind()) {
      case DIRECTORY -> new TarArchiveEntry(target + "/");
      case FILE -> new TarArchiveEntry(target);
      case SYMLINK -> new TarArchiveEntry(target, TarConstants.LF_SYMLINK);
      case HARDLINK -> new TarArchiveEntry(target, TarConstants.LF_LINK);
    };
    if (entry.kind() == SafeEntry.Kind.SYMLINK) {
      out.setLinkName(entry.linkTarget());
    } else if (entry.kind() == SafeEntry.Kind.HARDLINK) {
      out.setLinkName(target(entry.linkTarget(), false));
    }
    out.setMode(mode != null && entry.kind() != SafeEntry.Kind.SYMLINK ? mode : entry.mode());
    out.setIds(ownership.uid(), ownership.gid());
    if (entry.kind() == SafeEntry.Kind.FILE) {
      out.setSize(entry.size());
    }
    tar.putArchiveEntry(out);
    if (entry.kind() == SafeEntry.Kind.FILE) {
      content.transferTo(tar);
    }
    tar.closeArchiveEntry();
  }

  /** mkdir -p: every missing parent of {@code target}, owned by root as Docker creates them. */
  private static void parents(String target, TarArchiveOutputStream tar, Set<String> written) throws IOException {
    int slash = target.indexOf('/');
    while (slash > 0) {
      String parent = target.substring(0, slash);
      if (written.add(parent)) {
        TarArchiveEntry dir = new TarArchiveEntry(parent + "/");
        dir.setMode(0755);
        tar.putArchiveEntry(dir);
        tar.closeArchiveEntry();
      }
      slash = target.indexOf('/', slash + 1);
    }
  }

  private static String join(String directory, String rest) {
    return directory.isEmpty() ? rest : directory + "/" + rest;
  }

  /** Without leading {@code /} or {@code ./} and trailing {@code /}: the form archive paths have. */
  private static String clean(String path) {
    String cleaned = path.trim().replaceAll("/+", "/").replaceAll("^(\\./)+", "").replaceAll("^/", "")
        .replaceAll("/$", "");
    if (cleaned.equals(".")) {
      return "";
    }
    if (cleaned.contains("..")) {
      throw new IllegalArgumentException("COPY paths may not contain '..': " + path);
    }
    return cleaned;
  }
}
