package dev.kiln.worker.messaging;

/** How a slot ends its claim on a build request: what it tells the share group. */
enum ClaimEnd {
  /** The build ended, here or earlier: the request is done. */
  ACCEPT,
  /** Not finished here (lost lock, shutdown, Kiln's own fault): another attempt takes the request. */
  RELEASE,
  /** No worker can read the request: it is archived instead of coming back forever. */
  REJECT
}
