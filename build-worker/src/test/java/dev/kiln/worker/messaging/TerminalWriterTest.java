package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * The fencing rule, over every interleaving of two writers of one build's end: each takes the build's
 * transactional id (fencing the writers before it), looks for an end, and commits. Kafka's part (an init fences
 * earlier producers of the id; a fenced producer commits nothing) is modelled by {@link Broker}; the writer's part
 * is the real {@link TerminalWriter}. Whatever the order, exactly one end is committed.
 */
class TerminalWriterTest {
  private static final String BUILD = "b-1";
  private static final int STEPS = 3; // init, look for an end, commit

  @Test
  void everyInterleavingOfTwoWriters_commitsExactlyOneEnd() throws Exception {
    List<List<String>> orders = interleavings("A", "B", STEPS);
    assertThat(orders).hasSize(20);
    for (List<String> order : orders) {
      Broker broker = new Broker();
      Map<String, TerminalWriter.Result> results = broker.run(order, "A", "B");

      assertThat(broker.committed).as("ends committed in order %s", order).hasSize(1);
      String winner = broker.committed.get(0).getWorkerId();
      String loser = winner.equals("A") ? "B" : "A";
      assertThat(results.get(winner)).as("order %s", order).isEqualTo(TerminalWriter.Result.WRITTEN);
      assertThat(results.get(loser)).as("order %s", order)
          .isIn(TerminalWriter.Result.ENDED_ALREADY, TerminalWriter.Result.SUPERSEDED);
    }
  }

  @Test
  void anEndAlreadyOnTheTopic_isNotWrittenAgain() throws Exception {
    Broker broker = new Broker();
    broker.committed.add(end("earlier"));

    TerminalWriter.Result result = broker.run(List.of(), "A").get("A");

    assertThat(result).isEqualTo(TerminalWriter.Result.ENDED_ALREADY);
    assertThat(broker.committed).extracting(BuildStatusChanged::getWorkerId).containsExactly("earlier");
  }

  @Test
  void anUnknownEnd_isAskedAgainBeforeAnythingIsWritten() throws Exception {
    Broker broker = new Broker();
    broker.unknownAnswers = 2;

    TerminalWriter.Result result = broker.run(List.of(), "A").get("A");

    assertThat(result).isEqualTo(TerminalWriter.Result.WRITTEN);
    assertThat(broker.lookups).isEqualTo(3);
    assertThat(broker.committed).hasSize(1);
  }

  @Test
  void aFailureNoRetryMends_endsTheWriteAtOnce() {
    Broker broker = new Broker();
    broker.initFailure = new TransactionalIdAuthorizationException("no right on the build's transactional id");

    assertThatThrownBy(() -> broker.run(List.of(), "A"))
        .hasRootCauseInstanceOf(TransactionalIdAuthorizationException.class);
    assertThat(broker.inits).as("tries").isEqualTo(1);
    assertThat(broker.committed).isEmpty();
  }

  /** Every order of {@code steps} steps of each of two writers. */
  private static List<List<String>> interleavings(String a, String b, int steps) {
    List<List<String>> all = new ArrayList<>();
    collect(new ArrayList<>(), steps, steps, a, b, all);
    return all;
  }

  private static void collect(List<String> prefix, int aLeft, int bLeft, String a, String b, List<List<String>> all) {
    if (aLeft == 0 && bLeft == 0) {
      all.add(List.copyOf(prefix));
      return;
    }
    for (String next : List.of(a, b)) {
      int left = next.equals(a) ? aLeft : bLeft;
      if (left > 0) {
        prefix.add(next);
        collect(prefix, next.equals(a) ? aLeft - 1 : aLeft, next.equals(b) ? bLeft - 1 : bLeft, a, b, all);
        prefix.remove(prefix.size() - 1);
      }
    }
  }

  private static BuildStatusChanged end(String writer) {
    Instant now = Instant.now();
    return BuildStatusChanged.newBuilder().setBuildId(BUILD).setTemplateId(BUILD).setOrganizationId("org")
        .setTemplateName("t").setAttempt(1).setWorkerId(writer).setStatus(BuildStatus.ACTIVE).setProgress(100)
        .setStartedAt(now).setCompletedAt(now).setLogChunks(0).setOccurredAt(now).build();
  }

  /**
   * Kafka as the rule needs it: one current producer per transactional id (an init fences the one before), and a
   * status topic of committed ends. Each writer runs on a thread of its own and stops before each step until the
   * order gives it its turn.
   */
  private static final class Broker {
    final List<BuildStatusChanged> committed = new ArrayList<>();
    final Map<String, MockProducer<String, SpecificRecord>> current = new HashMap<>();
    final Map<String, Semaphore> turns = new ConcurrentHashMap<>();
    /** The writers standing before a step, waiting for their turn. */
    final Set<String> parked = ConcurrentHashMap.newKeySet();
    int unknownAnswers;
    int lookups;
    RuntimeException initFailure;
    int inits;

    Map<String, TerminalWriter.Result> run(List<String> order, String... writers) throws Exception {
      Map<String, CompletableFuture<TerminalWriter.Result>> running = new HashMap<>();
      for (String writer : writers) {
        turns.put(writer, new Semaphore(order.isEmpty() ? Integer.MAX_VALUE / 2 : 0));
        running.put(writer, CompletableFuture.supplyAsync(() -> write(writer)));
      }
      for (String writer : order) {
        if (running.get(writer).isDone()) {
          continue; // it ended early: found the end, or was fenced
        }
        awaitParked(running, writer);
        turns.get(writer).release();
      }
      turns.values().forEach(turn -> turn.release(Integer.MAX_VALUE / 2));
      Map<String, TerminalWriter.Result> results = new HashMap<>();
      for (String writer : writers) {
        results.put(writer, running.get(writer).get(10, TimeUnit.SECONDS));
      }
      return results;
    }

    /** Waits until the writer stands before its next step (or has ended). */
    private void awaitParked(Map<String, CompletableFuture<TerminalWriter.Result>> running, String writer) {
      await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(1))
          .until(() -> parked.contains(writer) || running.get(writer).isDone());
      parked.remove(writer);
    }

    private void step(String writer) {
      parked.add(writer);
      turns.get(writer).acquireUninterruptibly();
    }

    private TerminalWriter.Result write(String writer) {
      TerminalWriter.EndView view = new TerminalWriter.EndView() {
        @Override
        public TerminalBuilds.End endNow(String buildId) {
          step(writer);
          synchronized (Broker.this) {
            lookups++;
            if (unknownAnswers > 0) {
              unknownAnswers--;
              return TerminalBuilds.End.UNKNOWN;
            }
            return committed.isEmpty() ? TerminalBuilds.End.NOT_ENDED : TerminalBuilds.End.ENDED;
          }
        }

        @Override
        public void markTerminal(String buildId) {}
      };
      TerminalWriter terminal = new TerminalWriter(id -> producer(writer, id), view, "status", "end.");
      try {
        return terminal.write(end(writer));
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    }

    private MockProducer<String, SpecificRecord> producer(String writer, String transactionalId) {
      return new MockProducer<>(true, null, new StringSerializer(), (topic, value) -> new byte[0]) {
        @Override
        public void initTransactions() {
          step(writer);
          synchronized (Broker.this) {
            inits++;
            initTransactionException = initFailure;
            MockProducer<String, SpecificRecord> before = current.put(transactionalId, this);
            if (before != null && !before.closed()) {
              before.fenceProducer();
            }
            super.initTransactions();
          }
        }

        @Override
        public void commitTransaction() throws ProducerFencedException {
          step(writer);
          synchronized (Broker.this) {
            List<ProducerRecord<String, SpecificRecord>> pending = uncommittedRecords();
            super.commitTransaction();
            pending.forEach(record -> committed.add((BuildStatusChanged) record.value()));
          }
        }
      };
    }
  }
}
