package dev.kiln.gateway.quota;

import java.time.Clock;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * An organization's build limits: builds per hour (per gateway) and builds running or queued (fleet-wide). A
 * build that passes holds its place until {@link Admitted#cancel()} says it was never queued.
 */
public final class BuildQuota {
  private final BuildRate rate;
  private final ActiveBuilds active;

  public BuildQuota(QuotaLimits limits, ToIntFunction<String> activeInFleet, Predicate<String> seenInFleet,
      Clock clock) {
    this.rate = new BuildRate(limits::buildsPerHour, clock);
    this.active = new ActiveBuilds(limits::maxActiveBuilds, activeInFleet, seenInFleet, clock);
  }

  /** Admits one build of the organization or throws {@link dev.kiln.gateway.refusal.RateLimited}. */
  public Admitted admit(String organizationId, String buildId) {
    active.admit(organizationId, buildId);
    try {
      rate.take(organizationId);
    } catch (RuntimeException e) {
      active.forget(organizationId, buildId);
      throw e;
    }
    return () -> {
      active.forget(organizationId, buildId);
      rate.giveBack(organizationId);
    };
  }

  /** A build that took its place in the quotas. */
  @FunctionalInterface
  public interface Admitted {
    /** The build was not queued after all: it gives its places back. */
    void cancel();
  }
}
