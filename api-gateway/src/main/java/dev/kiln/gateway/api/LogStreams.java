package dev.kiln.gateway.api;

import dev.kiln.gateway.projection.BuildLogs;
import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.gateway.projection.BuildView;
import dev.kiln.gateway.projection.LogPage;
import java.io.IOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Logs as Server-Sent Events: {@code event: log} per line with {@code id:} the next cursor, keep-alive comments
 * while idle, and a final {@code event: done}. One shared scheduler polls every open stream; no thread waits per
 * client, and a slow or gone client never slows a build (its logs are already in Kafka).
 */
public final class LogStreams {
  private static final long POLL_MILLIS = 250;
  private static final long KEEP_ALIVE_MILLIS = 15_000;
  private static final int LINES_PER_POLL = 500;
  private final BuildProjection builds;
  private final BuildLogs logs;
  private final ScheduledExecutorService scheduler;

  public LogStreams(BuildProjection builds, BuildLogs logs, ScheduledExecutorService scheduler) {
    this.builds = builds;
    this.logs = logs;
    this.scheduler = scheduler;
  }

  /** Streams {@code build}'s log from line {@code offset} on until the build is terminal and every line is sent. */
  public SseEmitter open(BuildView build, long offset) {
    SseEmitter emitter = new SseEmitter(Duration.ofHours(2).toMillis());
    Stream stream = new Stream(build.buildId(), offset, emitter);
    stream.task = scheduler.scheduleWithFixedDelay(stream::poll, 0, POLL_MILLIS, TimeUnit.MILLISECONDS);
    emitter.onCompletion(stream::stop);
    emitter.onTimeout(stream::stop);
    emitter.onError(error -> stream.stop());
    return emitter;
  }

  /** One client's position in one build's log. */
  private final class Stream {
    private final String buildId;
    private final SseEmitter emitter;
    private long offset;
    private long lastSent = System.currentTimeMillis();
    private volatile ScheduledFuture<?> task;

    Stream(String buildId, long offset, SseEmitter emitter) {
      this.buildId = buildId;
      this.offset = offset;
      this.emitter = emitter;
    }

    synchronized void poll() {
      try {
        BuildView build = builds.find(buildId, Duration.ZERO).orElseThrow();
        LogPage page = logs.page(buildId, offset, LINES_PER_POLL);
        for (LogPage.Line line : page.lines()) {
          offset++;
          emitter.send(SseEmitter.event().name("log").id(String.valueOf(offset))
              .data(line(line), MediaType.APPLICATION_JSON));
        }
        long now = System.currentTimeMillis();
        if (!page.lines().isEmpty()) {
          lastSent = now;
        } else if (logs.complete(build, offset)) {
          emitter.send(SseEmitter.event().name("done")
              .data(Map.of("status", build.status().name().toLowerCase(Locale.ROOT)), MediaType.APPLICATION_JSON));
          emitter.complete();
          stop();
        } else if (now - lastSent >= KEEP_ALIVE_MILLIS) {
          emitter.send(SseEmitter.event().comment("keep-alive"));
          lastSent = now;
        }
      } catch (IOException | IllegalStateException e) {
        // The client went away: stop polling for it.
        stop();
      } catch (RuntimeException e) {
        emitter.completeWithError(e);
        stop();
      }
    }

    void stop() {
      ScheduledFuture<?> current = task;
      if (current != null) {
        current.cancel(false);
      }
    }

    private Map<String, Object> line(LogPage.Line line) {
      Map<String, Object> data = new LinkedHashMap<>();
      data.put("level", line.line().getLevel().name());
      data.put("message", line.line().getMessage());
      data.put("timestamp", line.line().getTimestamp().toString());
      data.put("step", line.stepIndex());
      return data;
    }
  }
}
