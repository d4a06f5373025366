package dev.kiln.gateway.quota;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each organization's requests per minute on this gateway: a token bucket of {@code limit} tokens refilled evenly
 * over a minute. Reads may not take the last tenth of the bucket, so a client polling status and logs can never
 * spend the budget the next build submission or cancel needs.
 */
public final class RequestQuota {
  private static final Duration PERIOD = Duration.ofMinutes(1);
  private final long limit;
  private final long writeReserve;
  private final Clock clock;
  private final ClockTimeMeter timeMeter;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  /** {@code limit} 0 means unlimited. */
  public RequestQuota(long limit, Clock clock) {
    this.limit = limit;
    this.writeReserve = limit / 10;
    this.clock = clock;
    this.timeMeter = new ClockTimeMeter(clock);
  }

  public long limit() {
    return limit;
  }

  public boolean unlimited() {
    return limit <= 0;
  }

  /** Takes one request of the organization from its bucket, or reports how long until it could. */
  public RateLimitStatus take(String organizationId, boolean read) {
    if (unlimited()) {
      return new RateLimitStatus(0, 0, 0, true, 0);
    }
    Bucket bucket = buckets.computeIfAbsent(organizationId, id -> newBucket());
    long reserve = read ? writeReserve : 0;
    ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1 + reserve);
    if (probe.isConsumed() && reserve > 0) {
      bucket.addTokens(reserve); // a read only had to prove the reserve is there, it does not spend it
    }
    long remaining = probe.getRemainingTokens() + (probe.isConsumed() ? reserve : 0);
    long retryAfter = probe.isConsumed() ? 0 : Seconds.ceil(probe.getNanosToWaitForRefill());
    return new RateLimitStatus(limit, remaining, resetEpochSeconds(remaining), probe.isConsumed(), retryAfter);
  }

  /** When the bucket is full again: it gains one token every minute/limit. */
  private long resetEpochSeconds(long remaining) {
    long missingNanos = (limit - remaining) * PERIOD.toNanos() / limit;
    return clock.instant().getEpochSecond() + Seconds.ceil(missingNanos);
  }

  private Bucket newBucket() {
    return Bucket.builder().addLimit(Bandwidth.builder().capacity(limit).refillGreedy(limit, PERIOD).build())
        .withCustomTimePrecision(timeMeter).build();
  }
}
