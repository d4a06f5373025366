package dev.kiln.worker.messaging;

/** The lock a slot holds on its claimed request while the build runs. */
interface HeldClaim {
  /** Renews the lock; false when it is no longer held, and the request is being redelivered to another worker. */
  boolean renew();
}
