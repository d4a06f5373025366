package dev.kiln.schema.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

class SizeClassTest {
  private static final KilnTopics TOPICS = KilnTopics.withPrefix("kiln");

  @Test
  void of_isTheSmallestClassHoldingEveryResource() {
    assertThat(SizeClass.of(new Resources(1, 512, 1))).contains(SizeClass.SMALL);
    assertThat(SizeClass.of(new Resources(1, 1024, 4))).contains(SizeClass.SMALL);
    assertThat(SizeClass.of(new Resources(2, 512, 1))).contains(SizeClass.MEDIUM);
    assertThat(SizeClass.of(new Resources(1, 512, 17))).contains(SizeClass.LARGE);
    assertThat(SizeClass.of(new Resources(8, 64000, 250))).contains(SizeClass.XLARGE);
    assertThat(SizeClass.of(new Resources(9, 512, 1))).isEmpty();
  }

  @Test
  void servedBy_isEveryClassWhoseLargestBuildFitsTheSlot() {
    assertThat(SizeClass.servedBy(new Resources(2, 1024, 4))).containsExactly(SizeClass.SMALL);
    assertThat(SizeClass.servedBy(new Resources(2, 12000, 36))).containsExactly(SizeClass.SMALL, SizeClass.MEDIUM);
    assertThat(SizeClass.servedBy(new Resources(16, 128000, 500))).containsExactly(SizeClass.values());
    assertThat(SizeClass.servedBy(new Resources(1, 512, 100))).isEmpty();
  }

  @Test
  void poolOf_isTheLargestClassTheSlotHoldsWhole() {
    assertThat(SizeClass.poolOf(new Resources(2, 1024, 4))).contains(SizeClass.SMALL);
    assertThat(SizeClass.poolOf(new Resources(2, 12000, 36))).contains(SizeClass.MEDIUM);
    assertThat(SizeClass.poolOf(new Resources(16, 128000, 500))).contains(SizeClass.XLARGE);
    assertThat(SizeClass.poolOf(new Resources(1, 512, 100))).isEmpty();
  }

  @Test
  void queueFor_isTheSmallestLivePoolWhoseClassHoldsTheBuild() {
    List<SizeClass> pools = List.of(SizeClass.LARGE, SizeClass.MEDIUM);

    assertThat(SizeClass.queueFor(new Resources(1, 512, 1), pools)).contains(SizeClass.MEDIUM);
    assertThat(SizeClass.queueFor(new Resources(2, 4096, 16), pools)).contains(SizeClass.MEDIUM);
    assertThat(SizeClass.queueFor(new Resources(2, 4097, 16), pools)).contains(SizeClass.LARGE);
    assertThat(SizeClass.queueFor(new Resources(8, 512, 1), pools)).isEmpty();
    assertThat(SizeClass.queueFor(new Resources(1, 512, 1), List.of())).isEmpty();
  }

  @Test
  void everyBuildQueuedForASlotsPool_fitsTheSlot() {
    // The invariant the pools exist for: a worker never claims a build larger than its slot.
    Resources slot = new Resources(3, 5000, 20);
    SizeClass pool = SizeClass.poolOf(slot).orElseThrow();
    for (int cpu = 1; cpu <= 8; cpu++) {
      for (int memory = 512; memory <= 64000; memory += 499) {
        for (int disk = 1; disk <= 250; disk += 7) {
          Resources build = new Resources(cpu, memory, disk);
          if (SizeClass.queueFor(build, List.of(pool)).isPresent()) {
            assertThat(cpu <= slot.getCpu() && memory <= slot.getMemoryMb() && disk <= slot.getDiskGb())
                .as("build %s queued for the pool of slot %s", build, slot).isTrue();
          }
        }
      }
    }
  }

  @Test
  void everyBuildASlotServesIsOneThatFitsIt() {
    // The invariant the routing exists for: a worker never claims a build larger than its slot.
    Resources slot = new Resources(3, 5000, 20);
    for (int cpu = 1; cpu <= 8; cpu++) {
      for (int memory = 512; memory <= 64000; memory += 499) {
        for (int disk = 1; disk <= 250; disk += 7) {
          Resources build = new Resources(cpu, memory, disk);
          boolean served = SizeClass.of(build).map(SizeClass.servedBy(slot)::contains).orElse(false);
          if (served) {
            assertThat(cpu <= slot.getCpu() && memory <= slot.getMemoryMb() && disk <= slot.getDiskGb())
                .as("build %s served by slot %s", build, slot).isTrue();
          }
        }
      }
    }
  }

  @Test
  void theSmallestClassKeepsTheRequestTopicsFormerName_andTheOthersTakeTheirLabel() {
    assertThat(TOPICS.buildRequestTopics()).containsExactly("kiln.build.requests", "kiln.build.requests.medium",
        "kiln.build.requests.large", "kiln.build.requests.xlarge");
    assertThat(TOPICS.buildRequestsFor(new Resources(1, 512, 1), "large")).isEqualTo("kiln.build.requests.large");
    assertThat(TOPICS.buildRequestsFor(new Resources(2, 2048, 8), null)).isEqualTo("kiln.build.requests.medium");
    assertThat(TOPICS.workerShareGroups()).containsExactly("kiln.build-workers", "kiln.build-workers.medium",
        "kiln.build-workers.large", "kiln.build-workers.xlarge");
    assertThat(TOPICS.all()).extracting(TopicSpec::name).containsAll(TOPICS.buildRequestTopics());
  }
}
