package dev.kiln.gateway.quota;

import dev.kiln.gateway.refusal.RateLimited;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;

/** Each organization's builds per hour on this gateway: a token bucket refilled evenly over the hour. */
final class BuildRate {
  private static final Duration PERIOD = Duration.ofHours(1);
  private final ToLongFunction<String> limitOf;
  private final ClockTimeMeter timeMeter;
  private final Map<String, SizedBucket> buckets = new ConcurrentHashMap<>();

  /** An organization's limit of 0 means unlimited. */
  BuildRate(ToLongFunction<String> limitOf, Clock clock) {
    this.limitOf = limitOf;
    this.timeMeter = new ClockTimeMeter(clock);
  }

  /** A bucket and the limit it was made for: a changed limit gets a new, full bucket. */
  private record SizedBucket(long limit, Bucket bucket) {}

  /** Takes one build of the organization, or refuses with how long until the next one is allowed. */
  void take(String organizationId) {
    long limit = limitOf.applyAsLong(organizationId);
    if (limit <= 0) {
      return;
    }
    ConsumptionProbe probe = bucket(organizationId, limit).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimited("Rate limit exceeded: " + limit + " builds per hour",
          Math.max(1, Seconds.ceil(probe.getNanosToWaitForRefill())));
    }
  }

  /** Gives a build back that was never queued (the ledger or the fleet refused it). */
  void giveBack(String organizationId) {
    long limit = limitOf.applyAsLong(organizationId);
    if (limit > 0) {
      bucket(organizationId, limit).addTokens(1);
    }
  }

  private Bucket bucket(String organizationId, long limit) {
    return buckets.compute(organizationId, (id, current) -> current != null && current.limit() == limit ? current
        : new SizedBucket(limit, Bucket.builder()
            .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, PERIOD).build())
            .withCustomTimePrecision(timeMeter).build())).bucket();
  }
}
