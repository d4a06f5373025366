package dev.kiln.worker.docker;

import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.LogConfig;
import com.github.dockerjava.api.model.Ulimit;
import java.util.ArrayList;
import java.util.List;

/**
 * What a build container may do beyond its cpu and memory: a RUN step is a stranger's code on this node. Every
 * capability is dropped and only those package installs need are given back; {@code no-new-privileges} stops a
 * setuid binary (sudo, su) from gaining any; the pids limit ends a fork bomb at the container; the engine keeps no
 * log of the container (its output is read by attaching), so a flood cannot fill the node's disk.
 */
public record ContainerHardening(List<String> capabilities, boolean noNewPrivileges, long pidsLimit, long openFiles) {
  /**
   * What apt, dpkg, useradd and chown need: file ownership and permission changes, switching users for package
   * scripts, signalling their own children. NET_RAW, MKNOD, SYS_CHROOT, AUDIT_WRITE and SETFCAP are not among them.
   */
  public static final List<String> PACKAGE_INSTALL_CAPABILITIES =
      List.of("CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "SETUID", "SETGID", "KILL");

  /** The safe defaults: package-install capabilities, no new privileges, 1024 processes, 4096 open files. */
  public static final ContainerHardening DEFAULT =
      new ContainerHardening(PACKAGE_INSTALL_CAPABILITIES, true, 1024, 4096);

  public ContainerHardening {
    capabilities = List.copyOf(capabilities);
    for (String capability : capabilities) {
      Capability.valueOf(capability); // refuse a misspelt setting at start, not at the first build
    }
    if (pidsLimit < 1 || openFiles < 1) {
      throw new IllegalArgumentException("the pids limit and open-files limit must be positive");
    }
  }

  /** {@code host} with these restrictions; {@code serving} adds NET_BIND_SERVICE, which a start command may need. */
  HostConfig apply(HostConfig host, boolean serving) {
    List<Capability> added = new ArrayList<>(capabilities.stream().map(Capability::valueOf).toList());
    if (serving) {
      added.add(Capability.NET_BIND_SERVICE);
    }
    host.withCapDrop(Capability.ALL).withCapAdd(added.toArray(Capability[]::new))
        .withPidsLimit(pidsLimit)
        .withUlimits(List.of(new Ulimit("nofile", openFiles, openFiles)))
        .withLogConfig(new LogConfig(LogConfig.LoggingType.NONE));
    if (noNewPrivileges) {
      host.withSecurityOpts(List.of("no-new-privileges"));
    }
    return host;
  }
}
