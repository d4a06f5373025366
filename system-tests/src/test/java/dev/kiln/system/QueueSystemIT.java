package dev.kiln.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.kafka.KilnTopics;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A burst queues on Kafka instead of being refused: two organizations send 20 builds each at once to one worker with
 * two slots, every one is accepted and ends active, and each organization's builds are claimed in the order it sent
 * them. A build no live worker admits is refused at once. In a fleet of two sizes, each build is claimed only by a
 * worker whose slots hold its size class.
 */
class QueueSystemIT {
  static final String PREFIX = "queue" + UUID.randomUUID().toString().substring(0, 8);
  static final String ADMIN_TOKEN = "queue-admin-" + UUID.randomUUID();
  static final JsonMapper JSON = JsonMapper.builder().build();
  static final int SLOTS = 2;
  static final int BUILDS_PER_ORGANIZATION = 20;

  @Test
  void aBurstFromTwoOrganizations_isQueued_builtInOrder_andABuildNoWorkerAdmits_isRefusedAtOnce() throws Exception {
    // Before: admission counted free slots only, so all but the first two builds of a burst were answered 503.
    // A bound well above the burst: whatever this machine's build times, all 40 are within it.
    try (KilnService gateway = KilnService.gateway("queue-gateway", PREFIX, Map.of("KILN_ADMIN_TOKEN", ADMIN_TOKEN,
        "KILN_MAX_QUEUE_WAIT", "30m"));
        KilnService worker = KilnService.worker("queue-worker", PREFIX, Map.of("KILN_WORKER_SLOTS",
            String.valueOf(SLOTS)))) {
      List<String> keys = List.of(keyOfNewOrganization(gateway, "first"), keyOfNewOrganization(gateway, "second"));
      List<KilnApi> organizations = keys.stream().map(key -> new KilnApi(gateway.baseUrl(), key)).toList();

      List<List<String>> sent = sendAtOnce(organizations);

      for (int org = 0; org < organizations.size(); org++) {
        for (String buildId : sent.get(org)) {
          JsonNode end = organizations.get(org).awaitTerminal(buildId, Duration.ofMinutes(5));
          assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("active");
        }
      }
      Map<String, Instant> claimed = firstClaims(KilnTopics.withPrefix(PREFIX).buildStatus());
      for (List<String> builds : sent) {
        assertClaimedInOrder(builds, claimed);
      }
      printInterleaving(sent, claimed);

      long asked = System.nanoTime();
      HttpResponse<String> tooBig = post(gateway, keys.get(0), build("too-big", 0).replace("\"cpu\":1",
          "\"cpu\":8"));
      long millis = Duration.ofNanos(System.nanoTime() - asked).toMillis();
      System.out.println("queue: a build no worker admits answered " + tooBig.statusCode() + " in " + millis + " ms");
      assertThat(tooBig.statusCode()).as(tooBig.body()).isEqualTo(503);
      assertThat(tooBig.headers().firstValue("Retry-After")).contains("5");
      assertThat(JSON.readTree(tooBig.body()).get("message").asString()).isEqualTo("no available nodes");
    }
  }

  @Test
  void aMixedFleet_aBuildIsClaimedOnlyByAWorkerWhoseSlotsHoldItsSizeClass() throws Exception {
    // Before: any free slot claimed any request, so the small worker's idle slots took medium builds (2048 MB each)
    // beyond their 1024 MB share of the node.
    String prefix = "sizes" + UUID.randomUUID().toString().substring(0, 8);
    String key = "sizes-key-" + UUID.randomUUID();
    try (KilnService gateway = KilnService.gateway("sizes-gateway", prefix, Map.of("KILN_BOOTSTRAP_API_KEY", key,
        "KILN_MAX_QUEUE_WAIT", "30m"));
        KilnService small = KilnService.worker("sizes-small", prefix, Map.of("KILN_WORKER_SLOTS", "2",
            "KILN_WORKER_CPU", "2", "KILN_WORKER_MEMORY_MB", "2048", "KILN_WORKER_DISK_GB", "8"));
        KilnService medium = KilnService.worker("sizes-medium", prefix, Map.of("KILN_WORKER_SLOTS", "1",
            "KILN_WORKER_CPU", "2", "KILN_WORKER_MEMORY_MB", "4096", "KILN_WORKER_DISK_GB", "16"))) {
      KilnApi api = new KilnApi(gateway.baseUrl(), key);
      // The gateway admits a medium build once it has seen the medium worker's heartbeat.
      List<String> mediumBuilds = new ArrayList<>();
      await().atMost(Duration.ofSeconds(30)).until(() -> {
        HttpResponse<String> first = post(gateway, key, sized("medium", 0, 2048));
        if (first.statusCode() == 202) {
          mediumBuilds.add(JSON.readTree(first.body()).get("build_id").asString());
        }
        return !mediumBuilds.isEmpty();
      });
      for (int i = 1; i < 4; i++) {
        mediumBuilds.add(api.build(sized("medium", i, 2048)));
      }
      List<String> smallBuilds = List.of(api.build(sized("small", 0, 512)), api.build(sized("small", 1, 512)));

      for (String buildId : concat(mediumBuilds, smallBuilds)) {
        JsonNode end = api.awaitTerminal(buildId, Duration.ofMinutes(3));
        assertThat(end.get("status").asString()).as(end.toString()).isEqualTo("active");
      }
      Map<String, Set<String>> builtBy = workersOf(KilnTopics.withPrefix(prefix).buildStatus());
      System.out.println("sizes: medium builds claimed by " + mediumBuilds.stream().map(builtBy::get).toList()
          + ", small by " + smallBuilds.stream().map(builtBy::get).toList());
      for (String buildId : mediumBuilds) {
        assertThat(builtBy.get(buildId)).as("workers that claimed medium build %s", buildId)
            .containsOnly("sizes-medium");
      }
    }
  }

  /** Each organization sends its builds one after another, as fast as it is answered, both at once. */
  private static List<List<String>> sendAtOnce(List<KilnApi> organizations) throws Exception {
    ExecutorService clients = Executors.newFixedThreadPool(organizations.size());
    try {
      List<Future<List<String>>> sending = new ArrayList<>();
      for (int org = 0; org < organizations.size(); org++) {
        KilnApi api = organizations.get(org);
        String stem = "org" + org;
        sending.add(clients.submit(() -> {
          List<String> ids = new ArrayList<>();
          for (int i = 0; i < BUILDS_PER_ORGANIZATION; i++) {
            ids.add(api.build(build(stem, i)));
          }
          return ids;
        }));
      }
      List<List<String>> sent = new ArrayList<>();
      for (Future<List<String>> organization : sending) {
        sent.add(organization.get());
      }
      return sent;
    } finally {
      clients.shutdownNow();
    }
  }

  /**
   * With {@link #SLOTS} slots claiming the oldest request first, a build can be overtaken only by the builds claimed
   * beside it: any build sent {@code SLOTS} or more places later is claimed no earlier.
   */
  private static void assertClaimedInOrder(List<String> builds, Map<String, Instant> claimed) {
    for (int i = 0; i < builds.size(); i++) {
      for (int j = i + SLOTS; j < builds.size(); j++) {
        assertThat(claimed.get(builds.get(i))).as("claim of build %d of %s, against build %d's", i, builds, j)
            .isBeforeOrEqualTo(claimed.get(builds.get(j)));
      }
    }
  }

  /** The time of each build's first status event: its worker writes it right after the claim. */
  private static Map<String, Instant> firstClaims(String statusTopic) {
    Map<String, Instant> claimed = new HashMap<>();
    for (BuildStatusChanged event : TopicValues.of(statusTopic, BuildStatusChanged.class)) {
      if (event.getStatus() == BuildStatus.BUILDING) {
        claimed.merge(event.getBuildId(), event.getOccurredAt(), (a, b) -> a.isBefore(b) ? a : b);
      }
    }
    return claimed;
  }

  private static void printInterleaving(List<List<String>> sent, Map<String, Instant> claimed) {
    List<String> order = new ArrayList<>();
    for (int org = 0; org < sent.size(); org++) {
      for (String buildId : sent.get(org)) {
        order.add(org + ":" + buildId);
      }
    }
    order.sort((a, b) -> claimed.get(a.substring(2)).compareTo(claimed.get(b.substring(2))));
    System.out.println("queue: organizations in claim order "
        + String.join("", order.stream().map(entry -> entry.substring(0, 1)).toList()));
  }

  /** The workers that reported on each build. */
  private static Map<String, Set<String>> workersOf(String statusTopic) {
    Map<String, Set<String>> workers = new HashMap<>();
    for (BuildStatusChanged event : TopicValues.of(statusTopic, BuildStatusChanged.class)) {
      if (event.getWorkerId() != null) {
        workers.computeIfAbsent(event.getBuildId(), id -> new java.util.TreeSet<>()).add(event.getWorkerId());
      }
    }
    return workers;
  }

  private static List<String> concat(List<String> first, List<String> second) {
    List<String> both = new ArrayList<>(first);
    both.addAll(second);
    return both;
  }

  /** A metadata-only build of {@code memoryMb}: 2048 MB is the medium size class, 512 MB the small one. */
  private static String sized(String stem, int index, int memoryMb) {
    return build(stem, index).replace("\"memory\":512", "\"memory\":" + memoryMb);
  }

  /** A build of metadata steps only (no container runs): the queue, not the build, is under test. */
  private static String build(String stem, int index) {
    return "{\"name\":\"" + stem + "-" + index + "-" + PREFIX + "\",\"from_image\":\"debian:bookworm-slim\",\"cpu\":1,"
        + "\"memory\":512,\"diskGB\":2,\"steps\":[{\"type\":\"ENV\",\"args\":[\"INDEX\",\"" + index + "\"]},"
        + "{\"type\":\"CMD\",\"args\":[\"sleep\",\"infinity\"]}]}";
  }

  private static HttpResponse<String> post(KilnService gateway, String key, String body) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(gateway.baseUrl()
            + "/v1/templates/build")).header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body))
            .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Creates an organization through the admin API, with quotas far above the burst, and issues it a key. */
  private static String keyOfNewOrganization(KilnService gateway, String name) throws Exception {
    return KilnAdmin.keyOfNewOrganization(gateway.baseUrl(), ADMIN_TOKEN, name, "--requests-per-minute", "100000",
        "--builds-per-hour", "100000", "--max-active-builds", "100");
  }
}
