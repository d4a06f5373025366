package dev.kiln.worker.engine;

/**
 * Why a build failed, as its status says it ({@link #code()} is the prefix of the error message). Every reason here
 * is deterministic: another attempt would fail the same way, so the build ends once with it. Kiln's own transient
 * faults are not reasons: they give the request back for another worker ({@code EngineUnavailable}).
 */
public enum FailureReason {
  /** A RUN step exited non-zero. */
  STEP_FAILED,
  /** A RUN step was killed by the kernel for using more than the build's memory. */
  OUT_OF_MEMORY,
  /** A step, or the whole build, ran past its time. */
  TIMEOUT,
  /** Cancelled through the API. */
  CANCELLED,
  /** The base image could not be pulled or read (absent, refused, or the registry said no). */
  IMAGE_PULL_FAILED,
  /** The base image is one Kiln cannot build on (an oversized passwd, say). */
  INVALID_BASE_IMAGE,
  /** A musl-based base image. */
  ALPINE_NOT_SUPPORTED,
  /** The template's image could not be pushed to the fleet's registry. */
  IMAGE_PUSH_FAILED,
  /** The fleet's registry refused or failed a cache or template operation. */
  REGISTRY_ERROR,
  /** The finished image is larger than the template's disk. */
  DISK_LIMIT_EXCEEDED,
  /** The start command did not become ready. */
  READY_CHECK_FAILED,
  /** The ready check itself cannot be run as given. */
  INVALID_READY_CHECK,
  /** A step kind or field this worker cannot carry out. */
  UNSUPPORTED_STEP,
  /** A COPY that cannot be carried out as written (an unknown owner, bad permissions). */
  INVALID_COPY,
  /** The uploaded files for a COPY could not be read. */
  COPY_FAILED,
  /** The uploaded archive tried to escape its destination or exceeded its limits. */
  UNSAFE_ARCHIVE,
  /** The build's registry credentials cannot be opened with this worker's fleet key. */
  CREDENTIALS_UNREADABLE,
  /** The request came back more often than the delivery limit allows. */
  DELIVERY_EXHAUSTED,
  /** The Docker engine refused an operation on this build (an engine-side error, not an outage). */
  ENGINE_ERROR,
  /** A fault in Kiln itself that another attempt would meet again. */
  INTERNAL_ERROR;

  /** The lower-case code clients see, e.g. {@code image_pull_failed}. */
  public String code() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
