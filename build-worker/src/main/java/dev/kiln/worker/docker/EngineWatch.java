package dev.kiln.worker.docker;

import dev.kiln.worker.capacity.WorkerCapacity;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pings the node's Docker engine and keeps the worker's capacity in step: while the engine does not answer the
 * worker advertises no free slot and claims nothing, so it cannot spend every request's deliveries on builds that
 * fail at once. {@code onChange} runs when availability flips (a heartbeat, so the gateways know at once).
 */
public final class EngineWatch {
  private static final Logger log = LoggerFactory.getLogger(EngineWatch.class);
  private final DockerConnection docker;
  private final WorkerCapacity capacity;
  private final Runnable onChange;

  public EngineWatch(DockerConnection docker, WorkerCapacity capacity, Runnable onChange) {
    this.docker = docker;
    this.capacity = capacity;
    this.onChange = onChange;
  }

  /**
   * Checks every {@code period} from now on, on a thread of its own: a hung engine must not stall log flushes or
   * heartbeats. Shutting the answer down stops the checks.
   */
  public ScheduledExecutorService startOnOwnThread(Duration period) {
    ScheduledExecutorService scheduler =
        Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "kiln-engine-watch"));
    scheduler.scheduleWithFixedDelay(this::check, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** One ping; never throws, so a scheduled check keeps running. */
  public void check() {
    boolean available = ping();
    if (available != capacity.engineAvailable()) {
      capacity.engineAvailable(available);
      if (available) {
        log.info("the Docker engine answers again: claiming builds");
      } else {
        log.warn("the Docker engine does not answer: claiming no builds until it does");
      }
      onChange.run();
    }
  }

  private boolean ping() {
    try {
      docker.client().pingCmd().exec();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
