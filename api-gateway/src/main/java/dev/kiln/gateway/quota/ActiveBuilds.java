package dev.kiln.gateway.quota;

import dev.kiln.gateway.refusal.RateLimited;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Each organization's builds running or queued, fleet-wide: the status projection's count (every gateway reads
 * every build's events) plus the builds this gateway admitted that the projection has not seen yet, so two
 * requests to one gateway cannot both take the last place. Gateways only see each other's admissions once they
 * reach the projection, a fraction of a second later.
 */
final class ActiveBuilds {
  /** A build admitted here that never shows up in the projection stops counting after this long. */
  private static final Duration ADMITTED_HORIZON = Duration.ofMinutes(1);
  /** When an organization at its limit may try again: builds take seconds to minutes to end. */
  static final long RETRY_AFTER_SECONDS = 15;
  private final ToIntFunction<String> maxOf;
  private final ToIntFunction<String> activeInFleet;
  private final Predicate<String> seenInFleet;
  private final Clock clock;
  private final Map<String, Map<String, Instant>> admittedHere = new HashMap<>();

  /** An organization's maximum of 0 means unlimited. */
  ActiveBuilds(ToIntFunction<String> maxOf, ToIntFunction<String> activeInFleet, Predicate<String> seenInFleet,
      Clock clock) {
    this.maxOf = maxOf;
    this.activeInFleet = activeInFleet;
    this.seenInFleet = seenInFleet;
    this.clock = clock;
  }

  /** Counts the build in for the organization, or refuses when the organization already has {@code max}. */
  synchronized void admit(String organizationId, String buildId) {
    int max = maxOf.applyAsInt(organizationId);
    if (max <= 0) {
      return;
    }
    Map<String, Instant> admitted = admittedHere.computeIfAbsent(organizationId, id -> new HashMap<>());
    Instant now = clock.instant();
    admitted.entrySet().removeIf(entry -> seenInFleet.test(entry.getKey())
        || entry.getValue().plus(ADMITTED_HORIZON).isBefore(now));
    if (activeInFleet.applyAsInt(organizationId) + admitted.size() >= max) {
      throw new RateLimited("Rate limit exceeded: " + max + " active builds (running or queued) per organization",
          RETRY_AFTER_SECONDS);
    }
    admitted.put(buildId, now);
  }

  /** Forgets a build admitted here that was never queued. */
  synchronized void forget(String organizationId, String buildId) {
    Map<String, Instant> admitted = admittedHere.get(organizationId);
    if (admitted != null) {
      admitted.remove(buildId);
    }
  }
}
