package dev.kiln.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * Kiln against {@code docker build} on the same engine, from one command (bench/run.sh starts a local Kiln first):
 * a cold 5-step build, alternating with the classic builder, as a median ratio; the same build fully cached; the
 * dispatch latency from accept to claim. Prints a markdown report and writes it to the file named by the first
 * argument.
 */
public final class Benchmark {
  static final String BASE = "debian:bookworm-slim";

  private Benchmark() {}

  public static void main(String[] args) throws Exception {
    String url = env("KILN_URL", "http://127.0.0.1:8080");
    KilnClient kiln = new KilnClient(url, env("KILN_API_KEY", "kiln-dev-key"));
    int runs = Integer.parseInt(env("BENCH_RUNS", "7"));
    int dispatches = Integer.parseInt(env("BENCH_DISPATCHES", "100"));

    List<Long> kilnCold = new ArrayList<>();
    List<Long> dockerCold = new ArrayList<>();
    List<Double> ratios = new ArrayList<>();
    List<Long> cached = new ArrayList<>();
    warmUp(kiln);
    for (int run = 0; run < runs; run++) {
      String unique = UUID.randomUUID().toString();
      // Alternate which goes first, so neither always meets a warmer page cache.
      long docker;
      long cold;
      if (run % 2 == 0) {
        docker = DockerBuild.timeMillis(dockerfile(unique + "-d"), "kiln-bench/docker:" + run);
        cold = coldBuild(kiln, unique, cached);
      } else {
        cold = coldBuild(kiln, unique, cached);
        docker = DockerBuild.timeMillis(dockerfile(unique + "-d"), "kiln-bench/docker:" + run);
      }
      kilnCold.add(cold);
      dockerCold.add(docker);
      ratios.add((double) cold / docker);
      System.err.printf("run %d: kiln %d ms, docker build %d ms, fully cached %d ms%n", run, cold, docker,
          cached.get(cached.size() - 1));
    }
    Dispatch dispatch = dispatch(kiln, dispatches);

    String report = report(runs, kilnCold, dockerCold, ratios, cached, dispatch);
    System.out.println(report);
    if (args.length > 0) {
      Files.writeString(Path.of(args[0]), report);
    }
  }

  /** One cold Kiln build (202 to active, server clock); then the same template again, fully cached, into {@code cached}. */
  private static long coldBuild(KilnClient kiln, String unique, List<Long> cached)
      throws IOException, InterruptedException {
    String name = "bench-" + unique.substring(0, 8);
    String buildId = kiln.build(template(name, unique, false));
    long cold = KilnClient.serverMillis(kiln.awaitEnd(buildId));
    kiln.awaitTemplateActive(buildId);
    cached.add(KilnClient.serverMillis(kiln.awaitEnd(kiln.build(template(name, unique, true)))));
    return cold;
  }

  /** A first build, so that neither side pays for a cold JVM, page cache or base image. */
  private static void warmUp(KilnClient kiln) throws IOException, InterruptedException {
    String unique = UUID.randomUUID().toString();
    kiln.awaitEnd(kiln.build(template("bench-warmup-" + unique.substring(0, 8), unique, false)));
    DockerBuild.timeMillis(dockerfile(unique), "kiln-bench/docker:warmup");
  }

  /**
   * Accept-to-claim of {@code count} metadata-only builds (ENV, CMD) sent one after another to an idle worker; also
   * printed split at the moment the client got its 202 (the ledger's part before it, the queue's after).
   */
  /** Per build: accept → claimed, accept → 202 at the client (the ledger's decision), and 202 → claimed. */
  record Dispatch(List<Long> acceptToClaim, List<Long> acceptToAnswer, List<Long> answerToClaim) {}

  private static Dispatch dispatch(KilnClient kiln, int count) throws IOException, InterruptedException {
    Map<String, Instant> answered = new HashMap<>();
    for (int i = 0; i < count; i++) {
      String unique = UUID.randomUUID().toString().substring(0, 8);
      String id = kiln.build("{\"name\":\"bench-dispatch-" + unique + "\",\"from_image\":\"" + BASE + "\","
          + "\"cpu\":1,\"memory\":512,\"diskGB\":1,\"steps\":[{\"type\":\"ENV\",\"args\":[\"RUN_ID\",\"" + unique
          + "\"]},{\"type\":\"CMD\",\"args\":[\"sleep\",\"1\"]}]}");
      answered.put(id, Instant.now());
      kiln.awaitEnd(id);
    }
    // Request topics are no service's but the ledger's and the workers': the benchmark reads them as the operator.
    Map<String, Object> kafka = dev.kiln.schema.kafka.KafkaLogin.scram(env("KILN_KAFKA_USERNAME", ""),
        env("KILN_KAFKA_PASSWORD", "")).clientProperties(env("KILN_KAFKA_BOOTSTRAP", "127.0.0.1:9092"));
    Map<String, ClaimTimes.Times> times = ClaimTimes.times(kafka,
        env("KILN_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081"), env("KILN_TOPIC_PREFIX", "kiln"),
        answered.keySet());
    List<Long> toAnswer = new ArrayList<>();
    List<Long> answerToClaim = new ArrayList<>();
    times.forEach((id, t) -> {
      toAnswer.add(Duration.between(t.accepted(), answered.get(id)).toMillis());
      answerToClaim.add(Duration.between(answered.get(id), t.claimed()).toMillis());
    });
    return new Dispatch(
        times.values().stream().map(t -> Duration.between(t.accepted(), t.claimed()).toMillis()).toList(),
        toAnswer, answerToClaim);
  }

  /** RUN, RUN writing 20 MB, ENV, WORKDIR, RUN; the first RUN unique so that nothing is cached. */
  static String template(String name, String unique, boolean update) {
    return "{\"name\":\"" + name + "\"," + (update ? "\"update\":true," : "") + "\"from_image\":\"" + BASE + "\","
        + "\"cpu\":1,\"memory\":1024,\"diskGB\":4,\"steps\":["
        + "{\"type\":\"RUN\",\"args\":[\"echo " + unique + " > /unique.txt\"]},"
        + "{\"type\":\"RUN\",\"args\":[\"head -c 20971520 /dev/urandom > /blob\"]},"
        + "{\"type\":\"ENV\",\"args\":[\"BENCH\",\"1\"]},"
        + "{\"type\":\"WORKDIR\",\"args\":[\"/srv\"]},"
        + "{\"type\":\"RUN\",\"args\":[\"echo done > done.txt\"]}]}";
  }

  static String dockerfile(String unique) {
    return "FROM " + BASE + "\nRUN echo " + unique + " > /unique.txt\nRUN head -c 20971520 /dev/urandom > /blob\n"
        + "ENV BENCH=1\nWORKDIR /srv\nRUN echo done > done.txt\n";
  }

  private static String report(int runs, List<Long> kilnCold, List<Long> dockerCold, List<Double> ratios,
      List<Long> cached, Dispatch dispatch) {
    return String.format(Locale.ROOT, String.join("\n",
        "| figure | result | baseline | target |",
        "|---|---|---|---|",
        "| cold 5-step build, 202 → active (median of %d) | %.0f ms | `docker build --no-cache` %.0f ms | |",
        "| cold build / docker build (median of per-run ratios) | **%.2f×** (min %.2f, max %.2f) | 1.00× | ≤ 0.75× |",
        "| same build fully cached (`update=true`), 202 → active | median %.0f ms, max %.0f ms | | ≤ 300 ms |",
        "| dispatch, accept → claimed (%d builds) | p50 %.0f ms, p99 %.0f ms | | |",
        "| of which accept → 202 at the client (the ledger's commit) | p50 %.0f ms, p99 %.0f ms | | |",
        "| dispatch, 202 at the client → claimed (negative: claimed first) | p50 %.0f ms, p99 %.0f ms | | p50 ≤ 20 ms, p99 ≤ 100 ms |",
        ""),
        runs, Stats.median(kilnCold), Stats.median(dockerCold),
        Stats.median(ratios), Stats.percentile(ratios, 0), Stats.percentile(ratios, 100),
        Stats.median(cached), Stats.percentile(cached, 100),
        dispatch.acceptToClaim().size(), Stats.percentile(dispatch.acceptToClaim(), 50),
        Stats.percentile(dispatch.acceptToClaim(), 99), Stats.percentile(dispatch.acceptToAnswer(), 50),
        Stats.percentile(dispatch.acceptToAnswer(), 99), Stats.percentile(dispatch.answerToClaim(), 50),
        Stats.percentile(dispatch.answerToClaim(), 99));
  }

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }
}
