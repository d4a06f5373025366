package dev.kiln.system;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * How busy the machine's CPUs were between two moments, from {@code /proc/stat}: a restart slower than its own CPU
 * time needs is explained by what else ran meanwhile.
 */
record MachineLoad(long busy, long total) {

  /** The CPUs' time so far, busy and in all (zeros where there is no {@code /proc/stat}). */
  static MachineLoad now() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
      long[] ticks = Arrays.stream(fields, 1, fields.length).mapToLong(Long::parseLong).toArray();
      long total = Arrays.stream(ticks).sum();
      long idle = ticks[3] + (ticks.length > 4 ? ticks[4] : 0);
      return new MachineLoad(total - idle, total);
    } catch (IOException | RuntimeException e) {
      return new MachineLoad(0, 0);
    }
  }

  /** The share of CPU time that was busy since {@code earlier}, in percent. */
  long busyPercentSince(MachineLoad earlier) {
    long total = this.total - earlier.total;
    return total == 0 ? 0 : 100 * (busy - earlier.busy) / total;
  }
}
