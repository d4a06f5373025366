package dev.kiln.worker.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SweepRulesTest {
  static final Instant NOW = Instant.parse("2026-11-29T12:00:00Z");
  static final Duration LOCK = Duration.ofSeconds(15);
  static final Instant OLD = NOW.minusSeconds(60);
  final Fleet fleet = new Fleet();
  final SweepRules rules = new SweepRules("me@1", LOCK, Clock.fixed(NOW, ZoneOffset.UTC));

  static BuildContainerName container(String instance, int attempt) {
    int at = instance.indexOf('@');
    return new BuildContainerName("b1", attempt, instance.substring(0, at), Long.parseLong(instance.substring(at + 1)));
  }

  @Test
  void containerOfAnEndedBuild_goes_evenThisWorkersOwn() {
    fleet.terminal.add("b1");

    assertThat(rules.reasonToRemove(container("me@1", 1), OLD, fleet)).contains("build b1 has ended");
    assertThat(rules.reasonToRemove(container("other@5", 1), NOW, fleet)).isPresent();
  }

  @Test
  void containerOfAnEarlierAttempt_goes() {
    fleet.attempts.put("b1", 3);
    fleet.heard.put("other@5", NOW);

    assertThat(rules.reasonToRemove(container("other@5", 2), NOW, fleet)).contains("build b1 was re-claimed as attempt 3");
    assertThat(rules.reasonToRemove(container("other@5", 3), OLD, fleet)).isEmpty();
  }

  @Test
  void containerOfAWorkerSilentLongerThanALock_goes() {
    fleet.heard.put("other@5", NOW.minus(LOCK).minusSeconds(1));

    assertThat(rules.reasonToRemove(container("other@5", 1), OLD, fleet)).get().asString().contains("silent since");
  }

  @Test
  void containerOfAWorkerFrozenForLessThanALock_stays() {
    fleet.heard.put("other@5", NOW.minus(LOCK).plusSeconds(1));

    assertThat(rules.reasonToRemove(container("other@5", 1), OLD, fleet)).isEmpty();
  }

  @Test
  void containerOfAWorkerProcessThatIsGone_goes_onceOlderThanALock() {
    assertThat(rules.reasonToRemove(container("other@5", 1), OLD, fleet))
        .contains("worker process other@5 is gone");
    assertThat(rules.reasonToRemove(container("other@5", 1), NOW.minusSeconds(3), fleet))
        .as("its worker's first heartbeat may not be read yet").isEmpty();
  }

  @Test
  void ownRunningBuildsContainer_stays() {
    assertThat(rules.reasonToRemove(container("me@1", 1), OLD, fleet)).isEmpty();
  }

  @Test
  void nothingIsJudged_beforeTheViewsCaughtUp() {
    fleet.caughtUp = false;
    fleet.terminal.add("b1");

    assertThat(rules.reasonToRemove(container("other@5", 1), OLD, fleet)).isEmpty();
  }

  /** The fleet as a test states it. */
  static final class Fleet implements FleetKnowledge {
    boolean caughtUp = true;
    final Set<String> terminal = new HashSet<>();
    final Map<String, Integer> attempts = new HashMap<>();
    final Map<String, Instant> heard = new HashMap<>();

    @Override
    public boolean caughtUp() {
      return caughtUp;
    }

    @Override
    public boolean isTerminal(String buildId) {
      return terminal.contains(buildId);
    }

    @Override
    public int latestAttempt(String buildId) {
      return attempts.getOrDefault(buildId, 0);
    }

    @Override
    public Optional<Instant> lastHeard(String workerInstance) {
      return Optional.ofNullable(heard.get(workerInstance));
    }
  }
}
