package dev.kiln.archive;

/**
 * How much an uploaded archive may hold. The ratio applies once the unpacked size passes {@code ratioFloorBytes}:
 * small archives of repetitive text compress far better than 200:1 and are harmless.
 */
public record ArchiveLimits(long maxCompressedBytes, long maxUnpackedBytes, int maxEntries, int maxRatio,
    long ratioFloorBytes) {
  private static final long MIB = 1024L * 1024;

  /** 512 MiB compressed, 4 GiB unpacked, 100,000 entries, ratio 200 past 16 MiB. */
  public static final ArchiveLimits DEFAULT = new ArchiveLimits(512 * MIB, 4096 * MIB, 100_000, 200, 16 * MIB);
}
