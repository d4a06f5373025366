package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.Resources;

/** The plan limits on a build's resources, with HopX's wording for values outside them. */
public record ResourceLimits(int minCpu, int maxCpu, int minMemoryMb, int maxMemoryMb, int minDiskGb, int maxDiskGb) {
  public static final ResourceLimits HOPX_DEFAULT = new ResourceLimits(1, 8, 512, 64000, 1, 250);

  Resources check(int cpu, int memoryMb, int diskGb) {
    require(cpu, minCpu, maxCpu, "Invalid cpu: must be between %d and %d vCPUs");
    require(memoryMb, minMemoryMb, maxMemoryMb, "Invalid memory: must be between %d and %d MB");
    require(diskGb, minDiskGb, maxDiskGb, "Invalid diskGB: must be between %d and %d GB");
    return new Resources(cpu, memoryMb, diskGb);
  }

  private static void require(int value, int min, int max, String message) {
    if (value < min || value > max) {
      throw new InvalidRequest(String.format(message, min, max));
    }
  }
}
