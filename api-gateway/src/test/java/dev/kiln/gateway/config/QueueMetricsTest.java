package dev.kiln.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.Resources;
import dev.kiln.schema.kafka.SizeClass;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class QueueMetricsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static ConsumerRecord<String, Object> requested(String buildId, Instant at) {
    return requested(buildId, at, new Resources(1, 512, 1));
  }

  private static ConsumerRecord<String, Object> requested(String buildId, Instant at, Resources size) {
    return new ConsumerRecord<>("requests", 0, 0, buildId, BuildRequested.newBuilder().setBuildId(buildId)
        .setTemplateId(buildId).setOrganizationId("org").setTemplateName("t").setRequestId("r-" + buildId)
        .setRequestedAt(at).setFromImage("debian:bookworm-slim").setResources(size).setSteps(List.of()).build());
  }

  private static double backlog(SimpleMeterRegistry registry, String sizeClass) {
    return registry.get("kiln.queue.backlog").tag("size_class", sizeClass).gauge().value();
  }

  private static ConsumerRecord<String, Object> claimed(String buildId) {
    return new ConsumerRecord<>("status", 0, 0, buildId, BuildStatusChanged.newBuilder().setBuildId(buildId)
        .setTemplateId(buildId).setOrganizationId("org").setTemplateName("t").setAttempt(1).setWorkerId("w")
        .setStatus(BuildStatus.BUILDING).setProgress(0).setStartedAt(NOW).setOccurredAt(NOW).build());
  }

  @Test
  void backlogPerSizeClassAndOldestAge_areTheUnclaimedBuilds() {
    BuildProjection builds = new BuildProjection();
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new QueueMetrics(builds, () -> Double.NaN, Clock.fixed(NOW, ZoneOffset.UTC)).bindTo(registry);
    assertThat(backlog(registry, "small")).isZero();
    assertThat(registry.get("kiln.queue.oldest.age").gauge().value()).isZero();

    builds.accept(requested("a", NOW.minusSeconds(90)));
    builds.accept(requested("b", NOW.minusSeconds(30)));
    builds.accept(requested("c", NOW.minusSeconds(5), new Resources(2, 4096, 10)));
    builds.accept(claimed("a"));

    assertThat(backlog(registry, "small")).isEqualTo(1);
    assertThat(backlog(registry, "medium")).isEqualTo(1);
    assertThat(backlog(registry, "large")).isZero();
    assertThat(builds.unclaimed(SizeClass.MEDIUM)).isEqualTo(1);
    assertThat(registry.get("kiln.queue.oldest.age").gauge().value()).isEqualTo(30);
  }

  @Test
  void shareGroupLag_isWhatTheBrokerLastSaid() {
    double[] lag = {Double.NaN};
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    new QueueMetrics(new BuildProjection(), () -> lag[0], Clock.fixed(NOW, ZoneOffset.UTC)).bindTo(registry);
    assertThat(registry.get("kiln.queue.share.group.lag").gauge().value()).isNaN();

    lag[0] = 7;

    assertThat(registry.get("kiln.queue.share.group.lag").gauge().value()).isEqualTo(7);
  }
}
