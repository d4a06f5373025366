package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.devstack.Devstack;
import dev.kiln.devstack.KafkaBroker;
import dev.kiln.devstack.KafkaCluster;
import dev.kiln.schema.BuildCancelRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnTopics;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The fleet as deployed: two gateways and three workers (separate JVMs, capped heaps, small build capacities) on one
 * broker. Names stay unique across gateways, a broker outage costs 503s and nothing else, and under a storm of
 * kills, freezes and a broker restart every build that got a 202 ends active exactly once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FleetSystemIT {
  static final String PREFIX = "fleet" + UUID.randomUUID().toString().substring(0, 8);
  static final KilnTopics TOPICS = KilnTopics.withPrefix(PREFIX);
  static final String KEY = "fleet-test-key";
  static final int MIN_BUILDS = 50;
  /** The organization the bootstrap key belongs to, which prefixes every ledger key. */
  static final String LEDGER_ORGANIZATION = "default";
  static final int COMMAND_PARTITIONS = TOPICS.all().stream()
      .filter(spec -> spec.name().equals(TOPICS.templateCommands())).findFirst().orElseThrow().partitions();
  static final String FLEET_KEY = Base64.getEncoder().encodeToString(
      UUID.randomUUID().toString().substring(0, 32).getBytes());
  /**
   * No queue beyond the free slots: the storm's four clients would otherwise queue minutes of builds, and the chaos
   * figures stay comparable with the runs before the queue had a bound (QueueSystemIT tests the queue).
   */
  static final Map<String, String> GATEWAY_SETTINGS = Map.of("KILN_BOOTSTRAP_API_KEY", KEY,
      "KILN_FLEET_KEY", FLEET_KEY, "KILN_MAX_QUEUE_WAIT", "0s");

  /** A gateway's settings: its name is its id, the same across its restarts, as a StatefulSet pod's is. */
  static Map<String, String> gatewaySettings(String name) {
    Map<String, String> settings = new java.util.HashMap<>(GATEWAY_SETTINGS);
    settings.put("KILN_GATEWAY_ID", name);
    return settings;
  }
  static final Map<String, String> WORKER_SETTINGS = Map.of(
      "KILN_CLAIM_LOCK_DURATION", "6s", "KILN_CLAIM_RENEW_INTERVAL", "2s", "KILN_WORKER_SLOTS", "2",
      "KILN_WORKER_CPU", "2", "KILN_WORKER_MEMORY_MB", "2048", "KILN_WORKER_DISK_GB", "8",
      "KILN_BUILD_TIMEOUT", "5m", "KILN_FLEET_KEY", FLEET_KEY);
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final List<KilnService> gateways = new ArrayList<>();
  static final List<KilnService> workers = new ArrayList<>();
  static BuildDriver driver;
  /** The brokers this JVM started (null for external ones), and the one broker when there is only one. */
  static KafkaCluster brokers;
  static KafkaBroker broker;

  @BeforeAll
  static void startFleet() throws Exception {
    brokers = Devstack.sharedCluster().orElse(null);
    broker = brokers != null && brokers.nodes().size() == 1 ? brokers.nodes().get(0) : null;
    ExecutorService starts = Executors.newFixedThreadPool(5);
    List<Future<KilnService>> gatewayStarts = new ArrayList<>();
    List<Future<KilnService>> workerStarts = new ArrayList<>();
    for (int i = 1; i <= 2; i++) {
      String name = "fleet-gateway-" + i;
      gatewayStarts.add(starts.submit(() -> KilnService.gateway(name, PREFIX, gatewaySettings(name))));
    }
    for (int i = 1; i <= 3; i++) {
      String name = "fleet-worker-" + i;
      workerStarts.add(starts.submit(() -> KilnService.worker(name, PREFIX, WORKER_SETTINGS)));
    }
    for (Future<KilnService> start : gatewayStarts) {
      gateways.add(start.get());
    }
    for (Future<KilnService> start : workerStarts) {
      workers.add(start.get());
    }
    starts.shutdown();
    driver = new BuildDriver(gateways.stream().map(KilnService::baseUrl).toList(), KEY);
  }

  @AfterAll
  static void stopFleet() {
    workers.forEach(KilnService::resume);
    workers.forEach(KilnService::close);
    gateways.forEach(KilnService::close);
  }

  static String template(String name) {
    return "{\"name\":\"" + name + "\",\"from_image\":\"busybox:latest\",\"cpu\":1,\"memory\":512,\"diskGB\":1,"
        + "\"steps\":[{\"type\":\"RUN\",\"args\":[\"echo " + PREFIX + "/" + name + " > /name.txt\"]},"
        + "{\"type\":\"RUN\",\"args\":[\"sleep 2\"]},"
        + "{\"type\":\"RUN\",\"args\":[\"echo built >> /name.txt\"]}]}";
  }

  @Test
  @Order(1)
  void concurrentCreatesOfOneName_throughBothGateways_exactlyOneIsAccepted() throws Exception {
    int creates = 8;
    ExecutorService clients = Executors.newFixedThreadPool(creates);
    List<Future<HttpResponse<String>>> answers = new ArrayList<>();
    for (int i = 0; i < creates; i++) {
      String gateway = gateways.get(i % 2).baseUrl();
      answers.add(clients.submit(() -> driver.post(gateway, template("contested"))));
    }
    List<Integer> codes = new ArrayList<>();
    for (Future<HttpResponse<String>> answer : answers) {
      codes.add(answer.get().statusCode());
    }
    clients.shutdown();

    assertThat(codes).as("answers to %d creates of one name", creates)
        .containsOnlyOnce(202).containsOnly(202, 409).hasSize(creates);
  }

  @Test
  @Order(2)
  void brokerOutage_answers503WithinFiveSeconds_andRecoversByItself() throws Exception {
    assumeTrue(broker != null, "needs the only broker, started by this JVM, to stop it");
    String gateway = gateways.get(0).baseUrl();
    broker.close();
    long asked = System.nanoTime();
    HttpResponse<String> refused = driver.post(gateway, template("during-outage"));
    long refusedMillis = Duration.ofNanos(System.nanoTime() - asked).toMillis();

    long restarted = System.nanoTime();
    broker.start();
    String recoveredBuild = awaitAccepted(gateway, Duration.ofMinutes(2));
    long recoveredMillis = Duration.ofNanos(System.nanoTime() - restarted).toMillis();
    System.out.printf("broker outage: 503 after %d ms; 202 again %d ms after the broker started%n", refusedMillis,
        recoveredMillis);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
    assertThat(refused.headers().firstValue("Retry-After")).isPresent();
    assertThat(refusedMillis).isLessThanOrEqualTo(6_000);
    assertThat(driver.status(recoveredBuild).get("status").asString()).isIn("building", "active");
  }

  @Test
  @Order(3)
  void buildWhoseClientHeard503_isCancelled_andNeverBuilt() throws Exception {
    // With one gateway frozen, its share of the ledger stops answering: a create through the other gateway whose
    // name lands there times out (503), yet its command is in Kafka and is decided once the frozen gateway wakes.
    // Right after the broker restart one gateway may hold every partition for a while: wait until both hold some,
    // then send one name to each partition, so one of them is sure to land on the frozen gateway's share.
    LedgerMembers ledger = new LedgerMembers(TOPICS);
    List<Set<Integer>> shares = await("both gateways own ledger partitions").atMost(Duration.ofSeconds(90))
        .pollInterval(Duration.ofMillis(500)).until(ledger::commandPartitions,
            members -> members.size() == 2 && members.stream().noneMatch(Set::isEmpty));
    KilnService frozen = gateways.get(1);
    String gateway = gateways.get(0).baseUrl();
    List<String> answers = new ArrayList<>();
    HttpResponse<String> refused = null;
    frozen.pause();
    try {
      for (String name : oneNamePerPartition("unconfirmed-", COMMAND_PARTITIONS)) {
        HttpResponse<String> answer = driver.post(gateway, template(name));
        answers.add(name + ": " + (answer == null ? "no answer" : answer.statusCode() + " " + answer.body()));
        if (answer != null && answer.statusCode() == 503 && answer.body().contains("did not answer in time")) {
          refused = answer;
          break;
        }
      }
    } finally {
      frozen.resume();
    }
    System.out.println("unconfirmed build: ledger shares before the freeze " + shares + "; answers " + answers);
    assertThat(refused).as("a create answered 503 while the ledger's other member was frozen (shares %s; answers %s)",
        shares, answers).isNotNull();
    String requestId = JSON.readTree(refused.body()).get("request_id").asString();

    Optional<BuildCancelRequested> cancel = awaitCancelOf(requestId, Duration.ofSeconds(60));
    assertThat(cancel).as("the cancel of the build the 503 left behind").isPresent();
    JsonNode status = awaitStatus(gateway, cancel.get().getBuildId(), Duration.ofSeconds(90));
    System.out.println("unconfirmed build after the cancel: " + status);
    assertThat(status.get("status").asString()).isEqualTo("failed");
    assertThat(status.get("error_message").asString()).startsWith("cancelled:");
  }

  /** Template names whose ledger keys go to partitions 0, 1, ... of the command topic, in that order. */
  private static List<String> oneNamePerPartition(String stem, int partitions) {
    List<String> names = new ArrayList<>();
    for (int partition = 0; partition < partitions; partition++) {
      int wanted = partition;
      names.add(java.util.stream.IntStream.iterate(0, i -> i + 1).mapToObj(i -> stem + i)
          .filter(name -> LedgerMembers.partitionOf(LEDGER_ORGANIZATION + "/" + name, partitions) == wanted)
          .findFirst().orElseThrow());
    }
    return names;
  }

  /** Polls a build queued behind the client's back until it is terminal. */
  private static JsonNode awaitStatus(String gateway, String buildId, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    JsonNode status = null;
    while (System.nanoTime() < deadline) {
      if (driver.statusCode(gateway, buildId) == 200) {
        status = driver.status(buildId);
        if (!status.get("status").asString().equals("building")) {
          return status;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError("build " + buildId + " not terminal within " + timeout + ": " + status);
  }

  @Test
  @Order(4)
  void everyAcceptedBuild_endsActiveExactlyOnce_throughKillsFreezesAndABrokerRestart() throws Exception {
    assumeTrue(brokers != null, "needs brokers this JVM started, to restart one");
    int acceptedBefore = driver.accepted().size();
    AtomicBoolean chaosOver = new AtomicBoolean();
    ExecutorService clients = Executors.newFixedThreadPool(4);
    List<Future<Integer>> submitted = new ArrayList<>();
    for (int client = 0; client < 4; client++) {
      int first = client;
      submitted.add(clients.submit(() -> submitUntil(first, acceptedBefore, chaosOver)));
    }

    ChaosScript chaos = new ChaosScript(gateways, workers, brokers);
    try {
      chaos.run();
    } finally {
      chaosOver.set(true);
    }
    for (Future<Integer> client : submitted) {
      client.get();
    }
    clients.shutdown();

    Map<String, String> finalStatus = awaitAllTerminal(Duration.ofMinutes(6));
    List<BuildStatusChanged> events = TopicValues.of(TOPICS.buildStatus(), BuildStatusChanged.class);
    Map<String, List<BuildStatusChanged>> terminal = TopicValues.terminalEvents(TOPICS.buildStatus());
    long active = finalStatus.values().stream().filter("active"::equals).count();
    long failed = finalStatus.values().stream().filter("failed"::equals).count();
    long lost = finalStatus.values().stream().filter("building"::equals).count();
    List<String> notActiveOnTopic = finalStatus.keySet().stream()
        .filter(id -> terminal.getOrDefault(id, List.of()).stream().noneMatch(e -> e.getStatus() == BuildStatus.ACTIVE))
        .toList();
    Map<String, List<String>> duplicated = new java.util.TreeMap<>();
    finalStatus.keySet().stream().filter(id -> terminal.getOrDefault(id, List.of()).size() > 1)
        .forEach(id -> duplicated.put(id, terminal.get(id).stream().map(FleetSystemIT::describeEnd).toList()));
    long duplicates = duplicated.values().stream().mapToLong(ends -> ends.size() - 1).sum();
    System.out.printf("chaos: brokers=%d %s active=%d failed=%d lost=%d duplicateTerminalEvents=%d%n", brokers.nodes().size(), driver.counts(),
        active, failed, lost, duplicates);
    duplicated.forEach((id, ends) -> System.out.println("chaos: build " + id + " ended more than once: " + ends));
    finalStatus.forEach((id, status) -> terminal.getOrDefault(id, List.of()).stream()
        .filter(end -> end.getStatus() != BuildStatus.ACTIVE)
        .forEach(end -> System.out.println("chaos: build " + id + " ended " + describeEnd(end) + ": "
            + end.getErrorMessage())));
    System.out.println("chaos: " + chaos.redeliveries(events));
    System.out.println("chaos: time to ready after restart (ms) " + chaos.restartMillis());
    System.out.println("chaos: CPU used until ready " + chaos.restartCpu());

    assertThat(finalStatus).hasSizeGreaterThanOrEqualTo(MIN_BUILDS);
    assertThat(finalStatus).as("status of every accepted build through the API")
        .allSatisfy((id, status) -> assertThat(status).as(id).isEqualTo("active"));
    assertThat(notActiveOnTopic).as("accepted builds without an ACTIVE event on the status topic").isEmpty();
    assertThat(duplicated).as("builds with terminal events beyond the first (attempt, worker, time)").isEmpty();
    assertThat(awaitNoBuildContainers(Duration.ofSeconds(30))).as("build containers left after the storm").isEmpty();
  }

  /** Which attempt on which worker wrote an end, and when. */
  private static String describeEnd(BuildStatusChanged end) {
    return end.getStatus() + " attempt " + end.getAttempt() + " by " + end.getWorkerId() + " at " + end.getOccurredAt();
  }

  /** The fleet's build containers still on the engine once {@code timeout} has passed or none is left. */
  private static List<String> awaitNoBuildContainers(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      List<String> left = new ArrayList<>();
      for (KilnService worker : workers) {
        String ids = DockerCli.docker("ps", "-aq", "--filter", "name=_" + worker.name() + "_");
        left.addAll(ids.lines().filter(line -> !line.isBlank()).toList());
      }
      if (left.isEmpty() || System.nanoTime() > deadline) {
        return left;
      }
      Thread.sleep(1000);
    }
  }

  private static String awaitAccepted(String gateway, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer = driver.post(gateway, template("after-outage-" + System.nanoTime()));
      if (answer != null && answer.statusCode() == 202) {
        return JSON.readTree(answer.body()).get("build_id").asString();
      }
      Thread.sleep(500);
    }
    throw new AssertionError("no 202 within " + timeout + " of the broker's return");
  }

  private static Optional<BuildCancelRequested> awaitCancelOf(String requestId, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      Optional<BuildCancelRequested> cancel = TopicValues.of(TOPICS.buildControl(), BuildCancelRequested.class)
          .stream().filter(c -> c.getRequestId().equals(requestId)).findAny();
      if (cancel.isPresent()) {
        return cancel;
      }
      Thread.sleep(1000);
    }
    return Optional.empty();
  }

  /** One client: builds one after another until the chaos is over and enough were accepted. */
  private static int submitUntil(int client, int acceptedBefore, AtomicBoolean chaosOver)
      throws InterruptedException {
    int count = 0;
    while (!chaosOver.get() || driver.accepted().size() - acceptedBefore < MIN_BUILDS) {
      int index = client * 1000 + count;
      driver.submit(index, attempt -> template("chaos-" + index + "-" + attempt));
      count++;
    }
    return count;
  }

  /** Polls every accepted build through the API until none is building; returns the last status of each. */
  private static Map<String, String> awaitAllTerminal(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> statuses = new java.util.HashMap<>();
    for (String buildId : driver.accepted().keySet()) {
      JsonNode status = driver.status(buildId);
      while (status.get("status").asString().equals("building") && System.nanoTime() < deadline) {
        Thread.sleep(500);
        status = driver.status(buildId);
      }
      statuses.put(buildId, status.get("status").asString());
    }
    return statuses;
  }
}
