package dev.kiln.gateway.config;

import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.schema.kafka.SizeClass;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Clock;
import java.time.Duration;
import java.util.function.DoubleSupplier;

/**
 * The queue as an autoscaler sees it, from this gateway's projection (every gateway reads the whole topics, so each
 * reports the fleet's queue): {@code kiln_queue_backlog}, builds accepted and not yet claimed, per size class (tag
 * {@code size_class}: a class's backlog is what only workers serving that class can take), and
 * {@code kiln_queue_oldest_age_seconds}, how long the oldest of them has waited (0 when none waits); and, as a
 * cross-check from the broker, {@code kiln_queue_share_group_lag}: requests the workers' share group has not
 * acknowledged yet (queued or being built; NaN while the broker does not say).
 */
public final class QueueMetrics implements MeterBinder {
  private final BuildProjection builds;
  private final DoubleSupplier shareGroupLag;
  private final Clock clock;

  public QueueMetrics(BuildProjection builds, DoubleSupplier shareGroupLag, Clock clock) {
    this.builds = builds;
    this.shareGroupLag = shareGroupLag;
    this.clock = clock;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (SizeClass sizeClass : SizeClass.values()) {
      Gauge.builder("kiln.queue.backlog", builds, projection -> projection.unclaimed(sizeClass))
          .tag("size_class", sizeClass.label()).description("Builds accepted that no worker has claimed yet")
          .register(registry);
    }
    // Held strongly: a gauge keeps its object weakly, and nothing else need keep this binder.
    Gauge.builder("kiln.queue.oldest.age", this, QueueMetrics::oldestAgeSeconds).baseUnit("seconds")
        .strongReference(true).description("How long the oldest unclaimed build has waited").register(registry);
    Gauge.builder("kiln.queue.share.group.lag", shareGroupLag, DoubleSupplier::getAsDouble).strongReference(true)
        .description("Requests the workers' share group has not acknowledged (queued or being built), per the broker")
        .register(registry);
  }

  double oldestAgeSeconds() {
    return builds.oldestUnclaimed()
        .map(requested -> Math.max(0, Duration.between(requested, clock.instant()).toMillis() / 1000.0))
        .orElse(0.0);
  }
}
