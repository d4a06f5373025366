package dev.kiln.gateway.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.gateway.refusal.NoCapacity;
import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.schema.kafka.SizeClass;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdmissionTest {
  private static final Resources SMALL = new Resources(1, 512, 1);
  private static final Resources NODE = new Resources(2, 4096, 10);
  private static final QueueBound MINUTE = new QueueBound(Duration.ofSeconds(60), 1000, Duration.ofSeconds(60));
  private static final Optional<Duration> TEN_SECONDS = Optional.of(Duration.ofSeconds(10));

  private static WorkerHeartbeat worker(int slots, int freeSlots, Resources maxBuild) {
    return WorkerHeartbeat.newBuilder().setWorkerId("w").setVersion("t").setTotal(maxBuild).setFree(maxBuild)
        .setMaxBuild(maxBuild).setSlots(slots).setFreeSlots(freeSlots).setRunningBuilds(List.of())
        .setIntervalMs(3000).setStartedAt(Instant.EPOCH).setSentAt(Instant.EPOCH).build();
  }

  private static Admission admission(List<WorkerHeartbeat> workers, int queued, Optional<Duration> typical,
      QueueBound bound) {
    return new Admission(() -> workers, upTo -> queued, () -> typical, bound);
  }

  private static NoCapacity refusal(Admission admission, Resources request) {
    return (NoCapacity) org.assertj.core.api.Assertions.catchThrowable(() -> admission.admit(request));
  }

  @Test
  void admit_freeSlotBeyondQueuedBuilds_passes() {
    assertThatCode(() -> admission(List.of(worker(2, 2, NODE)), 1, Optional.empty(), MINUTE).admit(SMALL))
        .doesNotThrowAnyException();
  }

  @Test
  void admit_everySlotBusy_queuesWhileTheExpectedWaitIsWithinTheBound() {
    // Before: 503 as soon as the free slots were spoken for, so a burst was refused instead of queued.
    // Two slots, builds of 10 s: the 12th build beyond them is claimed after 6 builds' time, 60 s.
    assertThatCode(() -> admission(List.of(worker(2, 0, NODE)), 11, TEN_SECONDS, MINUTE).admit(SMALL))
        .doesNotThrowAnyException();
  }

  @Test
  void admit_queueExpectedToWaitPastTheBound_is503_withTheTimeUntilItIsWithin() {
    NoCapacity refused = refusal(admission(List.of(worker(2, 0, NODE)), 13, TEN_SECONDS, MINUTE), SMALL);

    assertThat(refused).hasMessage("no available nodes");
    // 14 builds ahead on 2 slots of 10 s: 70 s, 10 s past the bound.
    assertThat(refused.retryAfterSeconds()).isEqualTo(10);
  }

  @Test
  void admit_beforeAnyBuildEnded_expectsTheBoundsBuildDuration() {
    // 60 s a build, 2 slots: one build beyond the slots waits 30 s, three wait 90 s.
    assertThatCode(() -> admission(List.of(worker(2, 0, NODE)), 0, Optional.empty(), MINUTE).admit(SMALL))
        .doesNotThrowAnyException();
    assertThat(refusal(admission(List.of(worker(2, 0, NODE)), 2, Optional.empty(), MINUTE), SMALL)
        .retryAfterSeconds()).isEqualTo(30);
  }

  @Test
  void admit_atTheCapOfQueuedBuilds_is503_whateverTheWait() {
    QueueBound capped = new QueueBound(Duration.ofHours(1), 5, Duration.ofSeconds(60));

    assertThatCode(() -> admission(List.of(worker(4, 0, NODE)), 4, TEN_SECONDS, capped).admit(SMALL))
        .doesNotThrowAnyException();
    NoCapacity refused = refusal(admission(List.of(worker(4, 0, NODE)), 5, TEN_SECONDS, capped), SMALL);
    assertThat(refused.retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void admit_noQueueWait_acceptsOnlyAsManyAsThereAreFreeSlots() {
    QueueBound none = new QueueBound(Duration.ZERO, 1000, Duration.ofSeconds(60));

    assertThatCode(() -> admission(List.of(worker(2, 2, NODE)), 1, TEN_SECONDS, none).admit(SMALL))
        .doesNotThrowAnyException();
    assertThat(refusal(admission(List.of(worker(2, 2, NODE)), 2, TEN_SECONDS, none), SMALL).retryAfterSeconds())
        .isEqualTo(5);
  }

  @Test
  void admit_noLiveWorkerAdmitsTheSize_is503AtOnce_withoutAnEstimate() {
    Admission tooSmall = admission(List.of(worker(5, 5, new Resources(2, 1024, 10))), 0, TEN_SECONDS, MINUTE);

    assertThat(refusal(tooSmall, new Resources(1, 2048, 1))).hasMessage("no available nodes")
        .extracting(NoCapacity::retryAfterSeconds).isNull();
    assertThatThrownBy(() -> admission(List.of(), 0, TEN_SECONDS, MINUTE).admit(SMALL))
        .isInstanceOf(NoCapacity.class).hasMessage("no available nodes");
  }

  @Test
  void admit_countsOnlyTheSlotsOfWorkersThatFit() {
    List<WorkerHeartbeat> fleet = List.of(worker(2, 0, NODE), worker(20, 20, new Resources(1, 256, 1)));

    // The small worker's 20 free slots cannot take it: 13 builds on the 2 slots that fit wait 65 s, 5 s too long.
    assertThat(refusal(admission(fleet, 12, TEN_SECONDS, MINUTE), SMALL).retryAfterSeconds()).isEqualTo(5);
  }

  @Test
  void admit_aWorkerWhoseSlotsHoldTheBuildButNotItsWholeSizeClass_doesNotCount() {
    // Before: admitted on this worker, which belongs to the small pool: it would never be claimed.
    Admission underMedium = admission(List.of(worker(2, 2, new Resources(2, 3000, 10))), 0, TEN_SECONDS, MINUTE);

    assertThat(refusal(underMedium, new Resources(1, 2048, 1))).hasMessage("no available nodes")
        .extracting(NoCapacity::retryAfterSeconds).isNull();
    assertThat(underMedium.admit(SMALL)).isEqualTo(SizeClass.SMALL);
  }

  @Test
  void admit_queuesForTheSmallestLivePoolThatHoldsTheBuild() {
    WorkerHeartbeat mediumPool = worker(2, 2, new Resources(2, 4096, 16));
    WorkerHeartbeat largePool = worker(2, 2, new Resources(4, 16384, 64));

    assertThat(admission(List.of(largePool, mediumPool), 0, TEN_SECONDS, MINUTE).admit(SMALL))
        .isEqualTo(SizeClass.MEDIUM);
    assertThat(admission(List.of(largePool, mediumPool), 0, TEN_SECONDS, MINUTE).admit(new Resources(3, 512, 1)))
        .isEqualTo(SizeClass.LARGE);
    assertThat(admission(List.of(largePool), 0, TEN_SECONDS, MINUTE).admit(SMALL)).isEqualTo(SizeClass.LARGE);
  }

  @Test
  void admit_aBuildLargerThanEverySizeClass_is503AtOnce() {
    Admission huge = admission(List.of(worker(1, 1, new Resources(64, 256000, 1000))), 0, TEN_SECONDS, MINUTE);

    assertThat(refusal(huge, new Resources(16, 512, 1))).hasMessage("no available nodes");
  }

  @Test
  void admit_countsTheQueueAndTheSlotsOfTheChosenPoolOnly() {
    List<SizeClass> asked = new java.util.ArrayList<>();
    // The small pool's 20 free slots do not take a medium build: 13 builds on the medium pool's 2 slots wait 65 s.
    List<WorkerHeartbeat> fleet = List.of(worker(2, 0, new Resources(2, 4096, 16)),
        worker(20, 20, new Resources(1, 1024, 4)));
    Admission admission = new Admission(() -> fleet, pool -> {
      asked.add(pool);
      return 12;
    }, () -> TEN_SECONDS, MINUTE);

    assertThat(refusal(admission, new Resources(2, 2048, 8)).retryAfterSeconds()).isEqualTo(5);
    assertThat(asked).containsExactly(SizeClass.MEDIUM);
  }
}
