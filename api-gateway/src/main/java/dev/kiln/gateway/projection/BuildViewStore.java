package dev.kiln.gateway.projection;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
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
  /** Keys of this store's entries in a spill store shared with the log index, which keys by build id too. */
  private static final String KEY_PREFIX = "view/";
  private final Map<String, BuildView> inHeap = new ConcurrentHashMap<>();
  /** The ended builds still in the heap, in the order they ended. */
  private final ArrayDeque<Ended> endedInHeap = new ArrayDeque<>();
  private final SpillStore spilled;
  private final Duration keptAfterEnd;
  private final Clock clock;

  /** One ended build in the heap and when it ended, by the end event's own time. */
  private record Ended(String buildId, Instant at) {}

  /** {@code spilled} null: every view stays in the heap. */
  BuildViewStore(SpillStore spilled, Duration keptAfterEnd, Clock clock) {
    this.spilled = spilled;
    this.keptAfterEnd = keptAfterEnd;
    this.clock = clock;
  }

  Optional<BuildView> get(String buildId) {
    BuildView view = inHeap.get(buildId);
    if (view != null || spilled == null) {
      return Optional.ofNullable(view);
    }
    return spilled.get(KEY_PREFIX + buildId).map(bytes -> JSON.readValue(bytes, BuildView.class));
  }

  boolean contains(String buildId) {
    return inHeap.containsKey(buildId) || (spilled != null && spilled.get(KEY_PREFIX + buildId).isPresent());
  }

  /**
   * The build's view after {@code change}; empty when the build ended long enough ago to have moved out, which no
   * event changes any more. {@code eventTime}: when the event happened, by which an end is aged.
   */
  Optional<BuildView> update(String buildId, UnaryOperator<BuildView> change, Instant eventTime) {
    BuildView before = inHeap.get(buildId);
    if (before == null && spilled != null && spilled.get(KEY_PREFIX + buildId).isPresent()) {
      return Optional.empty();
    }
    BuildView after = change.apply(before);
    inHeap.put(buildId, after);
    if (after.terminal() && (before == null || !before.terminal())) {
      endedInHeap.addLast(new Ended(buildId, eventTime));
    }
    moveOutDue();
    return Optional.of(after);
  }

  /** Moves the views of builds that ended more than the kept while ago out of the heap, oldest end first. */
  private void moveOutDue() {
    if (spilled == null) {
      return;
    }
    Instant cutoff = clock.instant().minus(keptAfterEnd);
    while (!endedInHeap.isEmpty() && endedInHeap.peekFirst().at().isBefore(cutoff)) {
      String buildId = endedInHeap.removeFirst().buildId();
      BuildView view = inHeap.get(buildId);
      // Written before it leaves the heap: a reader finds it in one place or the other, never in neither.
      spilled.put(KEY_PREFIX + buildId, JSON.writeValueAsBytes(view));
      inHeap.remove(buildId);
    }
  }

  /** How many views are in the heap. */
  int inHeap() {
    return inHeap.size();
  }
}
