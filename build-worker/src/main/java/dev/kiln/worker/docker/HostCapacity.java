package dev.kiln.worker.docker;

import com.github.dockerjava.api.model.Info;
import dev.kiln.worker.capacity.WorkerCapacity;
import java.io.File;

/** A worker's build capacity: as configured, or else what its Docker host has. */
public final class HostCapacity {
  private static final long MB = 1024L * 1024;
  private static final int DEFAULT_DISK_GB = 100;

  private HostCapacity() {}

  /** Configured amounts win; a 0 is taken from the Docker host. */
  public static WorkerCapacity of(int cpuConfigured, int memoryMbConfigured, int diskGbConfigured,
      DockerConnection docker, int slots) {
    Info info = docker.client().infoCmd().exec();
    int cpu = cpuConfigured > 0 ? cpuConfigured : info.getNCPU();
    int memoryMb = memoryMbConfigured > 0 ? memoryMbConfigured : (int) (info.getMemTotal() / MB);
    int diskGb = diskGbConfigured > 0 ? diskGbConfigured : diskGb(info.getDockerRootDir());
    return new WorkerCapacity(new WorkerCapacity.Amount(cpu, memoryMb, diskGb), slots);
  }

  /** Free space where the engine keeps its images, when this process can see it (not from inside a container). */
  private static int diskGb(String dockerRoot) {
    File root = dockerRoot == null ? null : new File(dockerRoot);
    return root != null && root.exists() ? (int) (root.getUsableSpace() / MB / 1024) : DEFAULT_DISK_GB;
  }
}
