package dev.kiln.gateway.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each organization's requests per minute on this gateway ({@link QuotaLimits}): a token bucket of {@code limit}
 * tokens refilled evenly over a minute. Reads also draw on a second bucket of nine tenths of the limit, so a client
 * polling status and logs can never spend the last tenth, which stays for builds, cancels and deletes.
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

  /** The buckets and the limit they were made for: a changed limit gets new, full buckets. */
  private record SizedBucket(long limit, Bucket all, Bucket reads) {}

  /**
   * Takes one request of the organization from its bucket, or reports how long until it could. With no limit
   * the status says limit 0.
   */
  public RateLimitStatus take(String organizationId, boolean read) {
    long limit = limits.requestsPerMinute(organizationId);
    if (limit <= 0) {
      return new RateLimitStatus(0, 0, 0, true, 0);
    }
    SizedBucket buckets = bucketsOf(organizationId, limit);
    if (read) {
      ConsumptionProbe readProbe = buckets.reads().tryConsumeAndReturnRemaining(1);
      if (!readProbe.isConsumed()) {
        return refused(limit, 0, readProbe); // nothing left for reads: a client pacing itself by Remaining waits
      }
    }
    ConsumptionProbe probe = buckets.all().tryConsumeAndReturnRemaining(1);
    if (!probe.isConsumed()) {
      if (read) {
        buckets.reads().addTokens(1); // refused after all: the read takes nothing
      }
      return refused(limit, probe.getRemainingTokens(), probe);
    }
    long remaining = probe.getRemainingTokens();
    return new RateLimitStatus(limit, remaining, resetEpochSeconds(limit, remaining), true, 0);
  }

  private RateLimitStatus refused(long limit, long remaining, ConsumptionProbe probe) {
    return new RateLimitStatus(limit, remaining, resetEpochSeconds(limit, remaining), false,
        Seconds.ceil(probe.getNanosToWaitForRefill()));
  }

  private SizedBucket bucketsOf(String organizationId, long limit) {
    return buckets.compute(organizationId, (id, current) -> current != null && current.limit() == limit ? current
        : new SizedBucket(limit, newBucket(limit), newBucket(Math.max(1, limit - limit / 10))));
  }

  /** When the bucket is full again: it gains one token every minute/limit. */
  private long resetEpochSeconds(long limit, long remaining) {
    long missingNanos = (limit - remaining) * PERIOD.toNanos() / limit;
    return clock.instant().getEpochSecond() + Seconds.ceil(missingNanos);
  }

  private Bucket newBucket(long capacity) {
    return Bucket.builder().addLimit(Bandwidth.builder().capacity(capacity).refillGreedy(capacity, PERIOD).build())
        .withCustomTimePrecision(timeMeter).build();
  }
}
