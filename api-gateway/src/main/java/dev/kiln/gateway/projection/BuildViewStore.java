package dev.kiln.gateway.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;

/**
 * The build views: a build's view stays in the heap while it runs and for a while after it ends (when its client
 * polls its status), then moves to a {@link SpillStore}, so that the heap holds the recent builds only however many
 * the status topic holds. An ended view never changes again (the first end wins), so a moved view is only read. One
 * thread updates (the projection's tailer); any thread reads.
 */
final class BuildViewStore {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final Map<String, BuildView> inHeap = new ConcurrentHashMap<>();
  private final SpillStore.Section spilled;
  /** The ended builds still in the heap, by when they ended (the end event's own time). */
  private final Ageing ended;

  /** {@code spilled} null: every view stays in the heap. */
  BuildViewStore(SpillStore spilled, Duration keptAfterEnd, Clock clock) {
    this.spilled = spilled == null ? null : spilled.section("views");
    this.ended = new Ageing(keptAfterEnd, clock);
  }

  Optional<BuildView> get(String buildId) {
    BuildView view = inHeap.get(buildId);
    if (view != null || spilled == null) {
      return Optional.ofNullable(view);
    }
    return spilled.get(buildId).map(bytes -> JSON.readValue(bytes, BuildView.class));
  }

  boolean contains(String buildId) {
    return inHeap.containsKey(buildId) || (spilled != null && spilled.get(buildId).isPresent());
  }

  /**
   * The build's view after {@code change}; empty when the build ended long enough ago to have moved out, which no
   * event changes any more. {@code eventTime}: when the event happened, by which an end is aged.
   */
  Optional<BuildView> update(String buildId, UnaryOperator<BuildView> change, Instant eventTime) {
    BuildView before = inHeap.get(buildId);
    if (before == null && spilled != null && spilled.get(buildId).isPresent()) {
      return Optional.empty();
    }
    BuildView after = change.apply(before);
    inHeap.put(buildId, after);
    if (spilled != null) {
      if (after.terminal() && (before == null || !before.terminal())) {
        ended.stamp(buildId, eventTime);
      }
      ended.forEachDue(this::moveOut);
    }
    return Optional.of(after);
  }

  /** Moves an ended build's view out of the heap. */
  private void moveOut(String buildId) {
    // Written before it leaves the heap: a reader finds it in one place or the other, never in neither.
    spilled.put(buildId, JSON.writeValueAsBytes(inHeap.get(buildId)));
    inHeap.remove(buildId);
  }

  /** How many views are in the heap. */
  int inHeap() {
    return inHeap.size();
  }
}
