package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.SizeClass;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Every build's latest status, from the request and status topics, and each template's latest build. The views of
 * builds that ended a while ago leave the heap for a {@link SpillStore} (see {@link BuildViewStore}).
 */
public final class BuildProjection {
  private final BuildViewStore builds;
  private final Map<String, String> latestBuildByTemplate = new ConcurrentHashMap<>();
  /** Builds accepted that no worker has reported on yet: when they were requested, and their size class. */
  private final Map<String, Queued> unclaimed = new ConcurrentHashMap<>();
  private final Map<String, java.util.Set<String>> activeByOrganization = new ConcurrentHashMap<>();
  private final ChangeSignal changes = new ChangeSignal();
  private final BuildDurations durations = new BuildDurations();

  /** A projection that keeps every view in the heap. */
  public BuildProjection() {
    this(null, Duration.ZERO, Clock.systemUTC());
  }

  /** A projection that moves a build's view to {@code spilled} once the build ended {@code keptAfterEnd} ago. */
  public BuildProjection(SpillStore spilled, Duration keptAfterEnd, Clock clock) {
    this.builds = new BuildViewStore(spilled, keptAfterEnd, clock);
  }

  /** Folds one record of the request or status topic in. */
  public void accept(ConsumerRecord<String, Object> record) {
    Object event = record.value();
    if (event instanceof BuildRequested request) {
      Optional<BuildView> view = builds.update(request.getBuildId(), current -> BuildViews.apply(current, request),
          request.getRequestedAt());
      latestBuildByTemplate.put(request.getTemplateId(), request.getBuildId());
      if (view.isPresent() && view.get().attempt() == 0 && !view.get().terminal()) {
        unclaimed.put(request.getBuildId(), new Queued(request.getRequestedAt(),
            SizeClass.queuedFor(request.getSizeClass(), request.getResources())));
      }
      view.ifPresent(this::countActive);
    } else if (event instanceof BuildStatusChanged status) {
      Optional<BuildView> view = builds.update(status.getBuildId(), current -> BuildViews.apply(current, status),
          status.getOccurredAt());
      latestBuildByTemplate.putIfAbsent(status.getTemplateId(), status.getBuildId());
      unclaimed.remove(status.getBuildId());
      durations.accept(status);
      view.ifPresent(this::countActive);
    } else {
      return;
    }
    changes.changed();
  }

  /** The build with this id, or the latest build of the template with this id, waiting up to {@code wait}. */
  public Optional<BuildView> find(String buildOrTemplateId, Duration wait) {
    // A build accepted by another gateway a moment ago may not have reached this one's projection yet.
    return changes.await(() -> find(buildOrTemplateId), wait);
  }

  private Optional<BuildView> find(String id) {
    Optional<BuildView> build = builds.get(id);
    if (build.isPresent()) {
      return build;
    }
    String latest = latestBuildByTemplate.get(id);
    return latest == null ? Optional.empty() : builds.get(latest);
  }

  /** How many builds of the organization are queued or running, fleet-wide. */
  public int active(String organizationId) {
    java.util.Set<String> active = activeByOrganization.get(organizationId);
    return active == null ? 0 : active.size();
  }

  /** Whether any event of this build has reached the projection. */
  public boolean seen(String buildId) {
    return builds.contains(buildId);
  }

  /** How many build views are in the heap: the running builds and those that ended recently. */
  public int viewsInHeap() {
    return builds.inHeap();
  }

  private void countActive(BuildView view) {
    java.util.Set<String> active =
        activeByOrganization.computeIfAbsent(view.organizationId(), id -> ConcurrentHashMap.newKeySet());
    if (view.terminal()) {
      active.remove(view.buildId());
    } else {
      active.add(view.buildId());
    }
  }

  /** The queue of one size class's pool. */
  public int unclaimed(SizeClass pool) {
    return (int) unclaimed.values().stream().filter(queued -> queued.sizeClass() == pool).count();
  }

  /** When the longest-waiting unclaimed build was requested; empty while the queue is empty. */
  public Optional<Instant> oldestUnclaimed() {
    return unclaimed.values().stream().map(Queued::requestedAt).min(Instant::compareTo);
  }

  /** A build waiting for a worker. */
  private record Queued(Instant requestedAt, SizeClass sizeClass) {}

  /** How long a slot recently spent on a build, claim to end (the median of the last few); empty before any. */
  public Optional<Duration> typicalBuildDuration() {
    return durations.typical();
  }
}
