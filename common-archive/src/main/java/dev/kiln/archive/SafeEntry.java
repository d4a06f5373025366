package dev.kiln.archive;

/**
 * One checked archive entry: a normalized relative path (no leading {@code /}, no {@code ..}), its kind, mode,
 * size and, for links, a target that stays inside the archive.
 */
public record SafeEntry(String path, Kind kind, int mode, long size, String linkTarget) {
  /** The entry kinds Kiln accepts; devices, FIFOs and anything else are refused. */
  public enum Kind { FILE, DIRECTORY, SYMLINK, HARDLINK }
}
