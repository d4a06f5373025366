package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import dev.kiln.worker.engine.step.LogSink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Cuts one build attempt's output into ordered, size-capped chunks with a sequence number, sent as they fill or
 * every {@value #FLUSH_MILLIS} ms. {@link #close()} sends the rest and waits until Kafka has every chunk, so no line
 * is lost between the container and the topic. Past the attempt's {@link LogLimits} it says so once and drops the
 * output; Kiln's own closing lines ({@link #notice}) still go out.
 */
public final class LogChunker implements LogSink, AutoCloseable {
  static final int MAX_LINES = 200;
  static final int MAX_BYTES = 64 * 1024;
  static final long FLUSH_MILLIS = 200;
  private final BuildEventPublisher publisher;
  private final String buildId;
  private final int attempt;
  private final String workerId;
  private final Clock clock;
  private final LogLimits limits;
  private final List<CompletableFuture<Void>> sends = new ArrayList<>();
  private final ScheduledFuture<?> timer;
  private List<LogLine> pending = new ArrayList<>();
  private int pendingBytes;
  private Integer stepIndex;
  private long seq;
  private long lines;
  private long bytes;
  private boolean truncated;

  public LogChunker(BuildEventPublisher publisher, String buildId, int attempt, String workerId, Clock clock,
      ScheduledExecutorService scheduler) {
    this(publisher, buildId, attempt, workerId, clock, scheduler, LogLimits.DEFAULT);
  }

  public LogChunker(BuildEventPublisher publisher, String buildId, int attempt, String workerId, Clock clock,
      ScheduledExecutorService scheduler, LogLimits limits) {
    this.limits = limits;
    this.publisher = publisher;
    this.buildId = buildId;
    this.attempt = attempt;
    this.workerId = workerId;
    this.clock = clock;
    this.timer = scheduler.scheduleWithFixedDelay(this::flush, FLUSH_MILLIS, FLUSH_MILLIS, TimeUnit.MILLISECONDS);
  }

  /** Lines after this call belong to step {@code index} (0-based); a chunk never spans two steps. */
  public synchronized void step(Integer index) {
    flush();
    stepIndex = index;
  }

  @Override
  public synchronized void line(String text, boolean error) {
    if (truncated) {
      return;
    }
    lines++;
    bytes += text.length();
    if (lines > limits.maxLines() || bytes > limits.maxBytes()) {
      truncated = true;
      append("log truncated: this build printed more than " + limits.maxLines() + " lines or " + limits.maxBytes()
          + " bytes; the rest of its output is not kept, and the build goes on", true);
      return;
    }
    append(text, error);
  }

  /** A line of Kiln's own (the build's end), sent even past the limits. */
  public synchronized void notice(String text, boolean error) {
    append(text, error);
  }

  private void append(String text, boolean error) {
    pending.add(new LogLine(text, error ? LogLevel.ERROR : LogLevel.INFO, clock.instant()));
    pendingBytes += text.length();
    if (pending.size() >= MAX_LINES || pendingBytes >= MAX_BYTES) {
      flush();
    }
  }

  /** Chunks sent so far. */
  public synchronized int chunks() {
    return (int) seq;
  }

  synchronized void flush() {
    if (pending.isEmpty()) {
      return;
    }
    BuildLogChunk chunk = new BuildLogChunk(buildId, attempt, workerId, stepIndex, seq++, pending,
        pending.get(0).getTimestamp(), pending.get(pending.size() - 1).getTimestamp());
    sends.add(publisher.log(buildId, chunk));
    pending = new ArrayList<>();
    pendingBytes = 0;
  }

  /** Sends what is pending and waits until every chunk is acknowledged; fails if any was not. */
  @Override
  public void close() {
    timer.cancel(false);
    CompletableFuture<Void> all;
    synchronized (this) {
      flush();
      all = CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new));
    }
    all.join();
  }
}
