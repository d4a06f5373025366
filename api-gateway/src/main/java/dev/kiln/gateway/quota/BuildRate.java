package dev.kiln.gateway.quota;

import dev.kiln.gateway.refusal.RateLimited;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Each organization's builds per hour on this gateway: a token bucket refilled evenly over the hour. */
final class BuildRate {
  private static final Duration PERIOD = Duration.ofHours(1);
  private final long limit;
  private final ClockTimeMeter timeMeter;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code limit} 0 means unlimited. */
  BuildRate(long limit, Clock clock) {
    this.limit = limit;
    this.timeMeter = new ClockTimeMeter(clock);
  }

  /** Takes one build of the organization, or refuses with how long until the next one is allowed. */
  void take(String organizationId) {
    if (limit <= 0) {
      return;
    }
    ConsumptionProbe probe = bucket(organizationId).tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      throw new RateLimited("Rate limit exceeded: " + limit + " builds per hour",
          Math.max(1, Seconds.ceil(probe.getNanosToWaitForRefill())));
    }
  }

  /** Gives a build back that was never queued (the ledger or the fleet refused it). */
  void giveBack(String organizationId) {
    if (limit > 0) {
      bucket(organizationId).addTokens(1);
    }
  }

  private Bucket bucket(String organizationId) {
    return buckets.computeIfAbsent(organizationId, id -> Bucket.builder()
        .addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, PERIOD).build())
        .withCustomTimePrecision(timeMeter).build());
  }
}
