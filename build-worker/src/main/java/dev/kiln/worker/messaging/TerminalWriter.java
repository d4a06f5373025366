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
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.TransactionAbortableException;
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
  private static final Duration PATIENCE = Duration.ofMinutes(2);
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
  private String transactionalId(String buildId) {
    return idPrefix + buildId;
  }

  /**
   * Writes {@code end}, retrying for 2 minutes while Kafka does not answer or the build's end is not known yet.
   * Past that, and on a failure no retry mends (a missing transactional-id right, say), it throws: the attempt gives
   * its request back instead of holding a build slot, and a later attempt or the dead-letter handler ends it.
   */
  public Result write(BuildStatusChanged end) throws InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (true) {
      Optional<Result> result = tryWrite(end);
      if (result.isPresent()) {
        return result.get();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the end of build " + end.getBuildId() + " was not written within " + PATIENCE);
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
      log.info("end of build {} attempt {} ({}{}) committed in {} ms", buildId, end.getAttempt(), end.getStatus(),
          end.getErrorCode() == null ? "" : " " + end.getErrorCode(), (System.nanoTime() - started) / 1_000_000);
      return Optional.of(Result.WRITTEN);
    } catch (InterruptException e) {
      throw new InterruptedException("interrupted writing the end of " + buildId);
    } catch (KafkaException e) {
      if (fenced(e)) {
        log.info("end of build {} attempt {} not written: a later writer took the build", buildId, end.getAttempt());
        return Optional.of(Result.SUPERSEDED);
      }
      if (!retriable(e)) {
        throw e;
      }
      log.warn("end of build {} not written yet: {}", buildId, e.toString());
      return Optional.empty();
    } finally {
      close(producer);
    }
  }

  /**
   * Closing aborts a transaction still open. An interrupt is set aside meanwhile: with it, the producer would close
   * at once and leave the transaction open, holding back every transactional reader of the partition until it
   * times out.
   */
  private static void close(Producer<String, SpecificRecord> producer) {
    boolean interrupted = Thread.interrupted();
    try {
      producer.close(CLOSE_TIMEOUT);
    } catch (InterruptException e) {
      interrupted = true;
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /** Whether another try can mend the failure: Kafka away, a coordinator moving, a transaction to abort. */
  private static boolean retriable(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof RetriableException || cause instanceof TransactionAbortableException) {
        return true;
      }
    }
    return false;
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
