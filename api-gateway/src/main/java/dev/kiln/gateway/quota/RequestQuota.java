package dev.kiln.gateway.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each organization's requests per minute on this gateway ({@link QuotaLimits}): a token bucket of {@code limit} tokens refilled evenly
 * over a minute. Reads may not take the last tenth of the bucket, so a client polling status and logs can never
 * spend the budget the next build submission or cancel needs.
 */
public final class RequestQuota {
  private static final Duration PERIOD = Duration.ofMinutes(1);
  private final QuotaLimits limits;
  private final Clock clock;
  private final ClockTimeMeter timeMeter;
  private final Map<String, SizedBucket> buckets = new ConcurrentHashMap<>();

  public RequestQuota(QuotaLimits limits, Clock clock) {
    this.limits = limits;
    this.clock = clock;
    this.timeMeter = new ClockTimeMeter(clock);
  }

  /** A bucket and the limit it was made for: a changed limit gets a new, full bucket. */
  private record SizedBucket(long limit, Bucket bucket) {}

  /**
   * Takes one request of the organization from its bucket, or reports how long until it could. With no limit
   * the status says limit 0.
   */
  public RateLimitStatus take(String organizationId, boolean read) {
    long limit = limits.requestsPerMinute(organizationId);
    if (limit <= 0) {
      return new RateLimitStatus(0, 0, 0, true, 0);
    }
    Bucket bucket = buckets.compute(organizationId, (id, current) ->
        current != null && current.limit() == limit ? current : new SizedBucket(limit, newBucket(limit))).bucket();
    long reserve = read ? limit / 10 : 0;
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1 + reserve);
    if (probe.isConsumed() && reserve > 0) {
      bucket.addTokens(reserve); // a read only had to prove the reserve is there, it does not spend it
    }
    long remaining = probe.getRemainingTokens() + (probe.isConsumed() ? reserve : 0);
    long retryAfter = probe.isConsumed() ? 0 : Seconds.ceil(probe.getNanosToWaitForRefill());
    return new RateLimitStatus(limit, remaining, resetEpochSeconds(limit, remaining), probe.isConsumed(), retryAfter);
  }

  /** When the bucket is full again: it gains one token every minute/limit. */
  private long resetEpochSeconds(long limit, long remaining) {
    long missingNanos = (limit - remaining) * PERIOD.toNanos() / limit;
    return clock.instant().getEpochSecond() + Seconds.ceil(missingNanos);
  }

  private Bucket newBucket(long limit) {
    return Bucket.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, PERIOD).build())
        .withCustomTimePrecision(timeMeter).build();
  }
}
