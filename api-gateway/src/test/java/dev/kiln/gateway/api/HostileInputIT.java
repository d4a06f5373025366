package dev.kiln.gateway.api;

import static dev.kiln.gateway.api.GatewayApiIT.validBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.devstack.Devstack;
import dev.kiln.schema.kafka.KilnSerdes;
import dev.kiln.schema.kafka.KilnTopics;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;

/**
 * A seeded generator of malformed and oversized bodies, headers, paths and parameters. Every answer is a 4xx with
 * HopX's error body (bar what Tomcat refuses itself, which carries no request id), never a 5xx, and nothing refused
 * reaches Kafka. Seed and count are printed so a failure can be replayed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputIT extends GatewayITBase {
  private static final long SEED = Long.getLong("kiln.hostile.seed", 20261202L);
  private static final int CASES = 600;
  private static final String[] FIELDS = {"name", "from_image", "cpu", "memory", "diskGB", "steps", "startCmd",
      "readyCmd", "skipCache", "update", "agent_version", "registry_credentials"};
  private static final String[] WRONG = {"7", "-1", "1e309", "99999999999999999999", "\"\"", "\"Ω\"", "[]", "{}",
      "[[[[[[]]]]]]", "\"" + "x".repeat(70_000) + "\"", "{\"type\":[]}", "\"../../etc\"", "0.5", "\"\\u0000\""};
  private static final String[] BAD_STEPS = {"[{}]", "[{\"type\":7}]", "[{\"type\":\"RUN\",\"args\":\"x\"}]",
      "[{\"type\":\"RUN\",\"args\":[7]}]", "[{\"type\":\"COPY\",\"args\":[\"/a\"],\"filesHash\":\"zz\"}]",
      "[{\"type\":\"ENV\",\"args\":[\"=x\"]}]", "[{\"type\":\"USER\",\"args\":[\"\"]}]", "[null]", "[\"RUN\"]",
      "[{\"type\":\"RUN\",\"args\":[\"" + "y".repeat(70_000) + "\"]}]", "[{\"type\":\"WORKDIR\",\"path\":{}}]"};
  private final List<Integer> statuses = new ArrayList<>();
  private long requestsBefore;
  private long commandsBefore;

  @BeforeAll
  void recordOffsets() {
    requestsBefore = requestsEndOffset();
    commandsBefore = endOffset(PREFIX + ".template.commands");
  }

  @TestFactory
  Stream<DynamicTest> hostileRequests_areAll4xxWithHopxBodies() {
    Random random = new Random(SEED);
    List<DynamicTest> tests = new ArrayList<>();
    for (int i = 0; i < CASES; i++) {
      Case c = next(random, i);
      tests.add(DynamicTest.dynamicTest(i + " " + c.describe(), () -> check(c)));
    }
    return tests.stream();
  }

  @AfterAll
  void nothingReachedKafka_andTheGatewayIsHealthy() {
    System.out.printf("hostile inputs: seed %d, %d tried, %d 4xx, %d 5xx%n", SEED, statuses.size(),
        statuses.stream().filter(s -> s >= 400 && s < 500).count(), statuses.stream().filter(s -> s >= 500).count());
    assertThat(statuses).hasSize(CASES).allMatch(s -> s >= 400 && s < 500);
    assertThat(requestsEndOffset()).isEqualTo(requestsBefore);
    assertThat(endOffset(PREFIX + ".template.commands")).isEqualTo(commandsBefore);
    assertThat(http.get("/actuator/health/readiness", null).status()).isEqualTo(200);
  }

  /** One hostile request. */
  private record Case(String method, String path, String key, String body, String[] headers) {
    String describe() {
      String shown = body == null ? "" : body.length() > 60 ? body.substring(0, 60) + "…" : body;
      return method + " " + (path.length() > 60 ? path.substring(0, 60) + "…" : path) + " " + shown;
    }
  }

  private void check(Case c) {
    GatewayHttp.Reply reply = http.send(c.method(), c.path(), c.key(), c.body(), c.headers());
    synchronized (statuses) {
      statuses.add(reply.status());
    }
    assertThat(reply.status()).as(c.describe() + " -> " + reply.raw()).isBetween(400, 499);
    if (reply.requestIdHeader() != null && reply.body() != null && reply.body().isObject()) {
      assertThat(reply.body().get("code").isString()).isTrue();
      assertThat(reply.body().get("error").asString()).isEqualTo(reply.body().get("message").asString());
      assertThat(reply.body().get("request_id").asString()).isEqualTo(reply.requestIdHeader());
    }
  }

  private Case next(Random random, int i) {
    String json = "Content-Type";
    return switch (i % 6) {
      case 0, 1 -> new Case("POST", "/v1/templates/build", KEY, mutated(random), new String[] {json, "application/json"});
      case 2 -> new Case("POST", "/v1/templates/build", KEY, truncatedOrNoise(random), new String[] {json, "application/json"});
      case 3 -> new Case("POST", "/v1/templates/build", KEY,
          validBody("s" + i).replaceFirst("\"steps\":\\[.*\\]",
              java.util.regex.Matcher.quoteReplacement("\"steps\":" + pick(random, BAD_STEPS))),
          new String[] {json, "application/json"});
      case 4 -> new Case("GET", "/v1/templates/build/" + pick(random, new String[] {"x", "%00", "..", "a".repeat(300),
          "00000000-0000-0000-0000-000000000000"}) + "/logs?offset=" + pick(random, new String[] {"-1", "x",
          "99999999999999999999", "1e3"}) + "&limit=" + random.nextInt(5000), KEY, null, new String[] {"Accept",
          random.nextBoolean() ? "text/event-stream" : "application/json"});
      default -> unauthenticated(random, i);
    };
  }

  private Case unauthenticated(Random random, int i) {
    String[] paths = {"/v1;a/templates/build", "/%761/templates/build", "/v1/templates", "/v1/templates/x",
        "/actuator/prometheus", "/actuator/env", "/v1/templates/files/upload-link", "/nowhere", "/V1/templates",
        "/v1//templates/build"};
    String[] keys = {null, "wrong", "Bearer", "", "k".repeat(5000)};
    return new Case(random.nextBoolean() ? "POST" : "GET", pick(random, paths), pick(random, keys),
        random.nextBoolean() ? validBody("u" + i) : null,
        new String[] {"Content-Type", "application/json", "X-Forwarded-Prefix", "/x"});
  }

  private static String mutated(Random random) {
    String field = pick(random, FIELDS);
    String value = pick(random, WRONG);
    if (value.equals("7") && (field.equals("cpu") || field.equals("diskGB"))) {
      value = "-1"; // 7 vCPUs or 7 GB would be a valid size
    }
    String body = validBody("m" + random.nextInt(1_000_000)).replace("\"steps\"", "\"steps\"");
    if (field.equals("name") || field.equals("from_image") || field.equals("cpu") || field.equals("memory")
        || field.equals("diskGB") || field.equals("steps")) {
      String replaced = body.replaceFirst("\"" + field + "\":(\"[^\"]*\"|[0-9]+|\\[.*\\])", java.util.regex.Matcher.quoteReplacement("\"" + field + "\":" + value));
      return replaced.equals(body) ? "{\"" + field + "\":" + value + "}" : replaced;
    }
    // Optional fields: only values of the wrong type or size are chosen, so each body is invalid.
    String wrong = field.equals("skipCache") || field.equals("update") ? "\"yes\""
        : field.equals("readyCmd") || field.equals("registry_credentials") ? "[1]" : "{\"a\":1}";
    return body.replace("{\"name\"", "{\"" + field + "\":" + (random.nextBoolean() ? wrong : value.length() > 100
        && !field.equals("agent_version") && !field.equals("startCmd") ? wrong : value.startsWith("\"")
        && (field.equals("agent_version") || field.equals("startCmd")) ? "\"" + "x".repeat(70_000) + "\"" : wrong)
        + ",\"name\"");
  }

  private static String truncatedOrNoise(Random random) {
    String body = validBody("t" + random.nextInt(1000));
    if (random.nextBoolean()) {
      return body.substring(0, 1 + random.nextInt(body.length() - 1));
    }
    byte[] noise = new byte[1 + random.nextInt(2048)];
    random.nextBytes(noise);
    return new String(noise, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }

  /** Every size class's request topic together. */
  private static long requestsEndOffset() {
    return KilnTopics.withPrefix(PREFIX).buildRequestTopics().stream().mapToLong(HostileInputIT::endOffset).sum();
  }

  private static long endOffset(String topic) {
    Devstack.Endpoints stack = Devstack.shared();
    try (KafkaConsumer<String, Object> consumer =
             new KafkaConsumer<>(KilnSerdes.consumer(stack.kafka(), stack.registryUrl()))) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(info -> new TopicPartition(info.topic(), info.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }
}
