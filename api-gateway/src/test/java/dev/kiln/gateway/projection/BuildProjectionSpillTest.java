package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.SizeClass;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The projections hold recent builds in the heap and older ones in the spill store, and answer the same either way. */
class BuildProjectionSpillTest {
  private static final Instant NOW = Instant.parse("2026-12-08T12:00:00Z");
  private static final Duration KEPT = Duration.ofMinutes(10);
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  @TempDir
  Path directory;
  private SpillStore store;

  @BeforeEach
  void open() {
    store = SpillStore.openUnder(directory, "test");
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void buildsThatEndedLongAgo_leaveTheHeap_andAreFoundAsBefore() {
    BuildProjection spilling = new BuildProjection(store, KEPT, CLOCK);
    BuildProjection inHeap = new BuildProjection();
    for (int i = 0; i < 1000; i++) {
      for (ConsumerRecord<String, Object> record : endedBuild("old-" + i, NOW.minus(Duration.ofHours(1)))) {
        spilling.accept(record);
        inHeap.accept(record);
      }
    }
    for (ConsumerRecord<String, Object> record : endedBuild("recent", NOW.minus(Duration.ofMinutes(1)))) {
      spilling.accept(record);
      inHeap.accept(record);
    }
    spilling.accept(requested("running", NOW));

    assertThat(spilling.viewsInHeap()).isEqualTo(2);
    assertThat(inHeap.viewsInHeap()).isEqualTo(1001);
    for (String id : List.of("old-0", "old-999", "recent", "template-old-5")) {
      assertThat(spilling.find(id, Duration.ZERO)).as(id).isPresent().isEqualTo(inHeap.find(id, Duration.ZERO));
    }
    assertThat(spilling.find("old-7", Duration.ZERO).orElseThrow().status()).isEqualTo(BuildStatus.ACTIVE);
    assertThat(spilling.seen("old-3")).isTrue();
    assertThat(spilling.seen("never")).isFalse();
    assertThat(spilling.find("running", Duration.ZERO).orElseThrow().status()).isEqualTo(BuildStatus.BUILDING);
  }

  @Test
  void anEventAfterABuildLeftTheHeap_changesNothing_andDoesNotBringItBack() {
    BuildProjection spilling = new BuildProjection(store, KEPT, CLOCK);
    endedBuild("b", NOW.minus(Duration.ofHours(1))).forEach(spilling::accept);

    // A fenced attempt's late progress, and the request read after the ends (another partition).
    spilling.accept(status("b", 2, BuildStatus.BUILDING, NOW));
    spilling.accept(requested("b", NOW.minus(Duration.ofHours(2))));

    assertThat(spilling.viewsInHeap()).isZero();
    assertThat(spilling.find("b", Duration.ZERO).orElseThrow().status()).isEqualTo(BuildStatus.ACTIVE);
    assertThat(spilling.unclaimed(SizeClass.SMALL)).isZero();
  }

  @Test
  void aLogIndex_leavesTheHeapOnceNoChunkCameForAWhile_andComesBackWithTheNextChunk() {
    LogIndex spilling = new LogIndex(store, KEPT, CLOCK);
    // The gateway's build views share the store, under the same build ids (before: the log index read a view).
    BuildProjection views = new BuildProjection(store, KEPT, CLOCK);
    endedBuild("quiet", NOW.minus(Duration.ofHours(1))).forEach(views::accept);
    LogIndex inHeap = new LogIndex();
    for (int i = 0; i < 3; i++) {
      ConsumerRecord<String, Object> chunk = chunk("quiet", i, NOW.minus(Duration.ofHours(1)));
      spilling.accept(chunk);
      inHeap.accept(chunk);
    }
    spilling.accept(chunk("busy", 0, NOW));

    assertThat(spilling.buildsInHeap()).isEqualTo(1);
    assertThat(spilling.chunksFrom("quiet", 0, 10)).isEqualTo(inHeap.chunksFrom("quiet", 0, 10)).hasSize(3);
    assertThat(spilling.lineCount("quiet")).isEqualTo(6);
    assertThat(spilling.chunkCount("quiet", 1)).isEqualTo(3);
    assertThat(views.find("quiet", Duration.ZERO).orElseThrow().status()).isEqualTo(BuildStatus.ACTIVE);

    spilling.accept(chunk("quiet", 3, NOW));

    assertThat(spilling.buildsInHeap()).isEqualTo(2);
    assertThat(spilling.lineCount("quiet")).isEqualTo(8);
    assertThat(spilling.chunksFrom("quiet", 6, 10)).singleElement()
        .satisfies(ref -> assertThat(ref.offset()).isEqualTo(3));
  }

  @Test
  void aSectionOfTheStore_isGivenOutOnce() {
    new LogIndex(store, KEPT, CLOCK);

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> new LogIndex(store, KEPT, CLOCK))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("logs");
  }

  private static List<ConsumerRecord<String, Object>> endedBuild(String buildId, Instant endedAt) {
    return List.of(requested(buildId, endedAt.minusSeconds(5)), status(buildId, 1, BuildStatus.BUILDING,
        endedAt.minusSeconds(4)), status(buildId, 1, BuildStatus.ACTIVE, endedAt));
  }

  private static ConsumerRecord<String, Object> requested(String buildId, Instant at) {
    return new ConsumerRecord<>("requests", 0, 0, buildId, BuildRequested.newBuilder().setBuildId(buildId)
        .setTemplateId("template-" + buildId).setOrganizationId("org").setTemplateName("t-" + buildId)
        .setRequestId("r-" + buildId).setRequestedAt(at).setFromImage("debian:bookworm-slim")
        .setResources(new Resources(1, 512, 1)).setSteps(List.of()).build());
  }

  private static ConsumerRecord<String, Object> status(String buildId, int attempt, BuildStatus status, Instant at) {
    BuildStatusChanged.Builder event = BuildStatusChanged.newBuilder().setBuildId(buildId)
        .setTemplateId("template-" + buildId).setOrganizationId("org").setTemplateName("t-" + buildId)
        .setAttempt(attempt).setWorkerId("w").setStatus(status).setProgress(status == BuildStatus.BUILDING ? 10 : 100)
        .setStartedAt(at.minusSeconds(1)).setOccurredAt(at);
    if (status != BuildStatus.BUILDING) {
      event.setImageRef("kiln/org/t:" + buildId).setImageId("sha256:x").setCompletedAt(at).setLogChunks(1);
    }
    return new ConsumerRecord<>("status", 0, 0, buildId, event.build());
  }

  private static ConsumerRecord<String, Object> chunk(String buildId, long offset, Instant at) {
    List<LogLine> lines = List.of(new LogLine("a", LogLevel.INFO, at), new LogLine("b", LogLevel.INFO, at));
    return new ConsumerRecord<>("logs", 1, offset, buildId,
        new BuildLogChunk(buildId, 1, "w", 0, offset, lines, at, at));
  }
}
