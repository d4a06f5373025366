package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildStatusChanged;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the one terminal status of a build. Every writer of a build's end (each attempt, the dead-letter handler)
 * writes it in a transaction under the build's own transactional id, and only after it took that id and found no
 * end on the status topic. Taking the id fences every writer that took it before and aborts its open transaction,
 * and waits until an earlier commit is complete; so whichever writer commits first, every later one sees its end and
 * every earlier one is fenced: no interleaving writes two ends.
 */
public final class TerminalWriter {
  /** What became of one end. */
  public enum Result {
    /** This end is the build's. */
    WRITTEN,
    /** The build had ended already; nothing was written. */
    ENDED_ALREADY,
    /** A later writer took the build's transactional id; nothing was written. */
    SUPERSEDED
  }

  /** What the writer knows of builds' ends: the whole status topic as it is now. */
  public interface EndView {
    /** Whether the build ended, by every record written to the status topic before the call. */
    TerminalBuilds.End endNow(String buildId) throws InterruptedException;

    /** Records an end this process wrote. */
    void markTerminal(String buildId);
  }

  private static final Logger log = LoggerFactory.getLogger(TerminalWriter.class);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
  private final Function<String, Producer<String, SpecificRecord>> producers;
  private final EndView view;
  private final String topic;
  private final String idPrefix;

  /**
   * {@code producers} make a transactional producer for the given transactional id; ids are {@code idPrefix}
   * followed by the build id.
   */
  public TerminalWriter(Function<String, Producer<String, SpecificRecord>> producers, EndView view,
      String topic, String idPrefix) {
    this.producers = producers;
    this.view = view;
    this.topic = topic;
    this.idPrefix = idPrefix;
  }

  /** The transactional id that fences the writers of one build's end. */
  public String transactionalId(String buildId) {
    return idPrefix + buildId;
  }

  /** Writes {@code end}, retrying while Kafka does not answer; only an interrupt stops it before a result. */
  public Result write(BuildStatusChanged end) throws InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    while (true) {
      Optional<Result> result = tryWrite(end);
      if (result.isPresent()) {
        return result.get();
      }
      Thread.sleep(backoff.toMillis());
      backoff = backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }
  }

  /** One try; empty when Kafka did not answer in time. */
  private Optional<Result> tryWrite(BuildStatusChanged end) throws InterruptedException {
    String buildId = end.getBuildId();
    long started = System.nanoTime();
    Producer<String, SpecificRecord> producer = producers.apply(transactionalId(buildId));
    try {
      producer.initTransactions();
      TerminalBuilds.End known = view.endNow(buildId);
      if (known != TerminalBuilds.End.NOT_ENDED) {
        return known == TerminalBuilds.End.ENDED ? Optional.of(Result.ENDED_ALREADY) : Optional.empty();
      }
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, buildId, end));
      producer.commitTransaction();
      view.markTerminal(buildId);
      log.info("end of build {} attempt {} ({}) committed in {} ms", buildId, end.getAttempt(), end.getStatus(),
          (System.nanoTime() - started) / 1_000_000);
      return Optional.of(Result.WRITTEN);
    } catch (InterruptException e) {
      throw new InterruptedException("interrupted writing the end of " + buildId);
    } catch (KafkaException e) {
      if (fenced(e)) {
        log.info("end of build {} attempt {} not written: a later writer took the build", buildId, end.getAttempt());
        return Optional.of(Result.SUPERSEDED);
      }
      log.warn("end of build {} not written yet: {}", buildId, e.toString());
      return Optional.empty();
    } finally {
      close(producer);
    }
  }

  /** An open transaction left behind is aborted by the next writer of this build, or by its timeout. */
  private static void close(Producer<String, SpecificRecord> producer) {
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (InterruptException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean fenced(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProducerFencedException || cause instanceof InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }
}
