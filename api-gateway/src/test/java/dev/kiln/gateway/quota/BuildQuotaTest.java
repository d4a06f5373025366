package dev.kiln.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.refusal.RateLimited;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BuildQuotaTest {
  private final MutableClock clock = new MutableClock();
  /** What the status projection would report: active builds per organization, and builds seen at all. */
  private final Map<String, Integer> activeInFleet = new HashMap<>();
  private final Set<String> seen = new HashSet<>();

  private BuildQuota quota(long perHour, int maxActive) {
    return new BuildQuota(QuotaLimits.uniform(0, perHour, maxActive), org -> activeInFleet.getOrDefault(org, 0),
        seen::contains, clock);
  }

  @Test
  void buildsPerHourRefillOneByOneAndSayWhen() {
    BuildQuota quota = quota(2, 0);
    quota.admit("org-a", "b1");
    quota.admit("org-a", "b2");
    assertThatThrownBy(() -> quota.admit("org-a", "b3")).isInstanceOfSatisfying(RateLimited.class, e -> {
      assertThat(e.getMessage()).isEqualTo("Rate limit exceeded: 2 builds per hour");
      assertThat(e.retryAfterSeconds()).isEqualTo(1800);
    });
    quota.admit("org-b", "b4");
    clock.advance(Duration.ofMinutes(30));
    quota.admit("org-a", "b5");
  }

  @Test
  void aBuildThatWasNeverQueuedGivesItsPlacesBack() {
    BuildQuota quota = quota(1, 1);
    quota.admit("org-a", "b1").cancel();
    quota.admit("org-a", "b2");
  }

  @Test
  void activeBuildsCountTheFleetAndWhatThisGatewayAdmittedButTheFleetHasNotSeen() {
    BuildQuota quota = quota(0, 2);
    activeInFleet.put("org-a", 1);
    quota.admit("org-a", "b1"); // 1 in the fleet + b1 admitted here
    assertThatThrownBy(() -> quota.admit("org-a", "b2")).isInstanceOfSatisfying(RateLimited.class, e -> {
      assertThat(e.getMessage()).contains("2 active builds");
      assertThat(e.retryAfterSeconds()).isPositive();
    });
    // b1 reaches the projection (now counted there), then one of the two ends.
    seen.add("b1");
    activeInFleet.put("org-a", 1);
    quota.admit("org-a", "b3");
    quota.admit("org-b", "b4");
  }

  @Test
  void anAdmittedBuildTheFleetNeverSeesStopsCountingAfterAMinute() {
    BuildQuota quota = quota(0, 1);
    quota.admit("org-a", "lost");
    assertThatThrownBy(() -> quota.admit("org-a", "b2")).isInstanceOf(RateLimited.class);
    clock.advance(Duration.ofSeconds(61));
    quota.admit("org-a", "b2");
  }

  @Test
  void aBuildRefusedForItsRateDoesNotHoldAnActivePlace() {
    BuildQuota quota = quota(1, 2);
    quota.admit("org-a", "b1");
    assertThatThrownBy(() -> quota.admit("org-a", "b2")).isInstanceOf(RateLimited.class);
    clock.advance(Duration.ofHours(1));
    quota.admit("org-a", "b3"); // b1 + b3 = 2 active: b2 left no trace
  }
}
