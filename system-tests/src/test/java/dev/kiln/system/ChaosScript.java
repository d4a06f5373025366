package dev.kiln.system;

import dev.kiln.devstack.KafkaBroker;
import dev.kiln.devstack.KafkaCluster;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * The disruptions of the fleet test, in order: workers SIGKILLed five times, one worker frozen (SIGSTOP) twice —
 * past its claim lock, then briefly — each gateway SIGKILLed once, and a broker: the only one restarted, or, of
 * three, one SIGKILLed and started again (its partitions' leaders move). A killed service is restarted in the
 * background while the script goes on, as an orchestrator would.
 */
final class ChaosScript {
  private static final Duration PAUSE = Duration.ofSeconds(8);
  private final List<KilnService> gateways;
  private final List<KilnService> workers;
  private final KafkaCluster brokers;
  private final ExecutorService restarts = Executors.newCachedThreadPool();
  private final Map<KilnService, Future<?>> pendingRestart = new HashMap<>();
  private final List<Disruption> disruptions = new ArrayList<>();
  private final Map<String, List<Long>> restartMillis = new ConcurrentHashMap<>();
  private final Map<String, List<String>> restartCpu = new ConcurrentHashMap<>();

  /** One disruption of one worker, for the redelivery figures. */
  record Disruption(String kind, String workerId, Instant at) {}

  /** When the broker was stopped or killed: a redelivery around it also waits for the broker. */
  private volatile Instant brokerDisrupted = Instant.MAX;

  /** Redeliveries slower than this are named, with their distance to the broker's disruption. */
  private static final long SLOW_MILLIS = 5_000;

  ChaosScript(List<KilnService> gateways, List<KilnService> workers, KafkaCluster brokers) {
    this.gateways = gateways;
    this.workers = workers;
    this.brokers = brokers;
  }

  void run() throws Exception {
    try {
      sleep(PAUSE);
      kill(workers.get(0));
      freeze(workers.get(1), Duration.ofSeconds(10));
      kill(gateways.get(0));
      kill(workers.get(2));
      disruptBroker();
      sleep(PAUSE);
      kill(workers.get(1));
      freeze(workers.get(0), Duration.ofSeconds(3));
      kill(gateways.get(1));
      kill(workers.get(0));
      kill(workers.get(2));
      for (Future<?> restart : pendingRestart.values()) {
        restart.get();
      }
    } finally {
      restarts.shutdown();
    }
  }

  /** The only broker restarts cleanly (an outage); of three, the first is SIGKILLed and started again. */
  private void disruptBroker() throws Exception {
    brokerDisrupted = Instant.now();
    KafkaBroker first = brokers.nodes().get(0);
    if (brokers.nodes().size() == 1) {
      first.restart();
      return;
    }
    first.kill();
    sleep(Duration.ofSeconds(2));
    first.start();
  }

  private void kill(KilnService service) throws Exception {
    awaitRestart(service);
    service.kill();
    disruptions.add(new Disruption("SIGKILL", service.name(), Instant.now()));
    sleep(Duration.ofSeconds(2));
    pendingRestart.put(service, restarts.submit(() -> {
      long start = System.nanoTime();
      MachineLoad before = MachineLoad.now();
      service.start();
      long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
      restartMillis.computeIfAbsent(kind(service), k -> new ArrayList<>()).add(millis);
      restartCpu.computeIfAbsent(kind(service), k -> new ArrayList<>()).add(String.format(
          "%.1f s of %.1f s, machine %d%% busy", service.cpuTime().toMillis() / 1000.0, millis / 1000.0,
          MachineLoad.now().busyPercentSince(before)));
      return null;
    }));
    sleep(PAUSE);
  }

  private void freeze(KilnService service, Duration duration) throws Exception {
    awaitRestart(service);
    service.pause();
    disruptions.add(new Disruption("SIGSTOP " + duration.toSeconds() + "s", service.name(), Instant.now()));
    sleep(duration);
    service.resume();
    sleep(Duration.ofSeconds(3));
  }

  private void awaitRestart(KilnService service) throws Exception {
    Future<?> restart = pendingRestart.remove(service);
    if (restart != null) {
      restart.get();
    }
  }

  private String kind(KilnService service) {
    return gateways.contains(service) ? "gateway" : "worker";
  }

  /** Start to ready of each restarted service, by kind. */
  Map<String, List<Long>> restartMillis() {
    return restartMillis;
  }

  /**
   * For each restart, by kind: the CPU time the service used until it was ready, against the time it took, and how
   * busy the machine was meanwhile. A start that needs 3 s of CPU takes longer when the other processes hold the
   * cores.
   */
  Map<String, List<String>> restartCpu() {
    return restartCpu;
  }

  /**
   * For each kind of disruption: how long after it the builds that the disrupted worker held were claimed again
   * (the next attempt's first status event), as "n builds, median, max"; and the same counted from the moment a
   * slot of another worker was free (its next end after the disruption), since in a full fleet a released request
   * also waits for a slot, as every queued one does.
   */
  String redeliveries(List<BuildStatusChanged> events) {
    Map<String, List<BuildStatusChanged>> byBuild = events.stream()
        .collect(Collectors.groupingBy(BuildStatusChanged::getBuildId));
    Map<String, List<Long>> delays = new HashMap<>();
    Map<String, List<Long>> afterFreeSlot = new HashMap<>();
    List<String> slow = new ArrayList<>();
    for (Disruption disruption : disruptions) {
      Instant nextOfSameWorker = disruptions.stream()
          .filter(d -> d.workerId().equals(disruption.workerId()) && d.at().isAfter(disruption.at()))
          .map(Disruption::at).min(Comparator.naturalOrder()).orElse(Instant.MAX);
      List<Instant> freedSlots = endsElsewhere(events, disruption);
      List<Long> claimed = new ArrayList<>();
      for (List<BuildStatusChanged> build : byBuild.values()) {
        // A redelivery after the worker's next disruption is that one's doing, not this one's.
        redelivery(disruption, build)
            .filter(millis -> disruption.at().plusMillis(millis).isBefore(nextOfSameWorker))
            .ifPresent(claimed::add);
      }
      claimed.sort(Comparator.naturalOrder());
      claimed.stream().filter(millis -> millis > SLOW_MILLIS).forEach(millis -> slow.add(disruption.kind() + " of "
          + disruption.workerId() + " at broker" + signedSeconds(Duration.between(brokerDisrupted, disruption.at()))
          + ": claimed again after " + millis + " ms"));
      for (int i = 0; i < claimed.size(); i++) {
        delays.computeIfAbsent(disruption.kind(), k -> new ArrayList<>()).add(claimed.get(i));
        // The i-th build claimed again took, at the earliest, the i-th slot freed after the disruption; claimed
        // before that slot freed, it found one idle and waited for none.
        long freed = i < freedSlots.size() ? Duration.between(disruption.at(), freedSlots.get(i)).toMillis() : 0;
        long waited = freed <= claimed.get(i) ? freed : 0;
        afterFreeSlot.computeIfAbsent(disruption.kind(), k -> new ArrayList<>()).add(claimed.get(i) - waited);
      }
    }
    return summary(delays) + "; counted from a free slot: " + summary(afterFreeSlot)
        + (slow.isEmpty() ? "" : "; slower than " + SLOW_MILLIS + " ms: " + slow);
  }

  private static String signedSeconds(Duration offset) {
    if (offset.getSeconds() > 1_000_000 || offset.getSeconds() < -1_000_000) {
      return " (none)";
    }
    return String.format("%+.1f s", offset.toMillis() / 1000.0);
  }

  /** When other workers ended builds (and so freed slots) after the disruption, in order. */
  private static List<Instant> endsElsewhere(List<BuildStatusChanged> events, Disruption disruption) {
    return events.stream()
        .filter(e -> e.getStatus() != BuildStatus.BUILDING && e.getWorkerId() != null
            && !e.getWorkerId().equals(disruption.workerId()) && e.getOccurredAt().isAfter(disruption.at()))
        .map(BuildStatusChanged::getOccurredAt).sorted().toList();
  }

  private static String summary(Map<String, List<Long>> delays) {
    return delays.entrySet().stream().map(entry -> {
      List<Long> sorted = entry.getValue().stream().sorted().toList();
      return entry.getKey() + ": " + sorted.size() + " builds, median " + sorted.get(sorted.size() / 2)
          + " ms, max " + sorted.get(sorted.size() - 1) + " ms";
    }).collect(Collectors.joining("; ", "redelivery after ", ""));
  }

  /** The delay from the disruption to the next attempt, if the disrupted worker held this build at that moment. */
  private static Optional<Long> redelivery(Disruption disruption, List<BuildStatusChanged> build) {
    Optional<BuildStatusChanged> held = build.stream()
        .filter(e -> e.getOccurredAt().isBefore(disruption.at()))
        .max(Comparator.comparing(BuildStatusChanged::getOccurredAt))
        .filter(e -> e.getStatus() == BuildStatus.BUILDING && disruption.workerId().equals(e.getWorkerId()));
    if (held.isEmpty()) {
      return Optional.empty();
    }
    return build.stream().filter(e -> e.getAttempt() > held.get().getAttempt())
        .map(BuildStatusChanged::getOccurredAt).min(Comparator.naturalOrder())
        .map(next -> Duration.between(disruption.at(), next).toMillis());
  }

  private static void sleep(Duration duration) throws InterruptedException {
    Thread.sleep(duration.toMillis());
  }
}
