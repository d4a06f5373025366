package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** Every build's latest status, from the request and status topics, and each template's latest build. */
public final class BuildProjection {
  private final Map<String, BuildView> builds = new ConcurrentHashMap<>();
  private final Map<String, String> latestBuildByTemplate = new ConcurrentHashMap<>();
  private final java.util.Set<String> unclaimed = ConcurrentHashMap.newKeySet();
  private final Map<String, java.util.Set<String>> activeByOrganization = new ConcurrentHashMap<>();
  private final ChangeSignal changes = new ChangeSignal();

  /** Folds one record of the request or status topic in. */
  public void accept(ConsumerRecord<String, Object> record) {
    Object event = record.value();
    if (event instanceof BuildRequested request) {
      BuildView view = builds.compute(request.getBuildId(), (id, current) -> BuildViews.apply(current, request));
      latestBuildByTemplate.put(request.getTemplateId(), request.getBuildId());
      if (view.attempt() == 0 && !view.terminal()) {
        unclaimed.add(request.getBuildId());
      }
      countActive(view);
    } else if (event instanceof BuildStatusChanged status) {
      BuildView view = builds.compute(status.getBuildId(), (id, current) -> BuildViews.apply(current, status));
      latestBuildByTemplate.putIfAbsent(status.getTemplateId(), status.getBuildId());
      unclaimed.remove(status.getBuildId());
      countActive(view);
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
    BuildView build = builds.get(id);
    if (build != null) {
      return Optional.of(build);
    }
    String latest = latestBuildByTemplate.get(id);
    return latest == null ? Optional.empty() : Optional.ofNullable(builds.get(latest));
  }

  /** How many builds of the organization are queued or running, fleet-wide. */
  public int active(String organizationId) {
    java.util.Set<String> active = activeByOrganization.get(organizationId);
    return active == null ? 0 : active.size();
  }

  /** Whether any event of this build has reached the projection. */
  public boolean seen(String buildId) {
    return builds.containsKey(buildId);
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

  /** Builds accepted that no worker has reported on yet: they will take a slot soon. */
  public int unclaimed() {
    return unclaimed.size();
  }
}
