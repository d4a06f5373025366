package dev.kiln.gateway.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RequestQuotaTest {
  private final MutableClock clock = new MutableClock();
  private final RequestQuota quota = new RequestQuota(QuotaLimits.uniform(20, 0, 0), clock);

  @Test
  void writesMaySpendTheWholeBudgetAndThenWaitForOneToken() {
    for (int i = 0; i < 20; i++) {
      assertThat(quota.take("org-a", false).taken()).as("write %d", i).isTrue();
    }
    RateLimitStatus refused = quota.take("org-a", false);
    assertThat(refused.taken()).isFalse();
    assertThat(refused.remaining()).isZero();
    assertThat(refused.retryAfterSeconds()).isEqualTo(3); // one token every 60 s / 20
    clock.advance(Duration.ofSeconds(3));
    assertThat(quota.take("org-a", false).taken()).isTrue();
  }

  @Test
  void readsLeaveTheLastTenthForWrites() {
    for (int i = 0; i < 18; i++) {
      assertThat(quota.take("org-a", true).taken()).as("read %d", i).isTrue();
    }
    RateLimitStatus refusedRead = quota.take("org-a", true);
    assertThat(refusedRead.taken()).isFalse();
    assertThat(refusedRead.remaining()).as("nothing left for reads").isZero();
    assertThat(quota.take("org-a", false).taken()).isTrue();
    assertThat(quota.take("org-a", false).taken()).isTrue();
    assertThat(quota.take("org-a", false).taken()).isFalse();
  }

  @Test
  void concurrentReadsGetExactlyTheirNineTenths() throws Exception {
    RequestQuota large = new RequestQuota(QuotaLimits.uniform(600, 0, 0), clock);
    java.util.concurrent.atomic.AtomicInteger taken = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService readers = java.util.concurrent.Executors.newFixedThreadPool(8);
    java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (int i = 0; i < 8; i++) {
      done.add(readers.submit(() -> {
        for (int j = 0; j < 200; j++) {
          if (large.take("org-a", true).taken()) {
            taken.incrementAndGet();
          }
        }
      }));
    }
    for (java.util.concurrent.Future<?> reader : done) {
      reader.get();
    }
    readers.shutdown();
    assertThat(taken.get()).isEqualTo(540);
    assertThat(large.take("org-a", false).remaining()).isEqualTo(59);
  }

  @Test
  void reportsRemainingAndWhenTheBucketIsFullAgain() {
    long now = clock.instant().getEpochSecond();
    RateLimitStatus first = quota.take("org-a", true);
    assertThat(first.limit()).isEqualTo(20);
    assertThat(first.remaining()).isEqualTo(19);
    assertThat(first.resetEpochSeconds()).isEqualTo(now + 3);
    for (int i = 0; i < 9; i++) {
      quota.take("org-a", false);
    }
    assertThat(quota.take("org-a", false).resetEpochSeconds()).isEqualTo(now + 33);
  }

  @Test
  void organizationsHaveTheirOwnBudgets() {
    for (int i = 0; i < 20; i++) {
      quota.take("org-a", false);
    }
    assertThat(quota.take("org-a", false).taken()).isFalse();
    RateLimitStatus other = quota.take("org-b", false);
    assertThat(other.taken()).isTrue();
    assertThat(other.remaining()).isEqualTo(19);
  }

  @Test
  void zeroMeansUnlimited() {
    RequestQuota unlimited = new RequestQuota(QuotaLimits.uniform(0, 0, 0), clock);
    for (int i = 0; i < 10_000; i++) {
      RateLimitStatus status = unlimited.take("org-a", false);
      assertThat(status.taken()).isTrue();
      assertThat(status.limit()).isZero();
    }
  }

  @Test
  void anOrganizationsOwnLimitReplacesTheDefault_andAChangedLimitStartsAFullBucket() {
    java.util.Map<String, dev.kiln.schema.OrganizationQuotas> own = new java.util.HashMap<>();
    own.put("org-small", new dev.kiln.schema.OrganizationQuotas(2L, null, null));
    RequestQuota perOrganization = new RequestQuota(
        new QuotaLimits(20, 0, 0, org -> java.util.Optional.ofNullable(own.get(org))), clock);
    assertThat(perOrganization.take("org-small", false).limit()).isEqualTo(2);
    assertThat(perOrganization.take("org-small", false).taken()).isTrue();
    assertThat(perOrganization.take("org-small", false).taken()).isFalse();
    assertThat(perOrganization.take("org-a", false).limit()).isEqualTo(20);
    own.put("org-small", new dev.kiln.schema.OrganizationQuotas(5L, null, null));
    RateLimitStatus raised = perOrganization.take("org-small", false);
    assertThat(raised.taken()).isTrue();
    assertThat(raised.remaining()).isEqualTo(4);
  }
}
