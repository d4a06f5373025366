package dev.kiln.worker.config;

import dev.kiln.worker.sweep.BuildContainerName;
import java.net.InetAddress;
import java.net.UnknownHostException;

/** The worker's id: as configured, or {@code <hostname>-<pid>}; it names the worker's build containers. */
final class WorkerIdentity {
  private WorkerIdentity() {}

  /** {@code configured} when set, else the host's; refused unless it is a valid container name part. */
  static String of(String configured) throws UnknownHostException {
    String workerId = configured != null && !configured.isBlank() ? configured
        : InetAddress.getLocalHost().getHostName() + "-" + ProcessHandle.current().pid();
    if (!BuildContainerName.NAME_CHARACTERS.matcher(workerId).matches()) {
      throw new IllegalStateException("KILN_WORKER_ID '" + workerId + "' may hold only letters, digits, '_', '.' and"
          + " '-', starting with a letter or digit: set KILN_WORKER_ID to such a name");
    }
    return workerId;
  }
}
