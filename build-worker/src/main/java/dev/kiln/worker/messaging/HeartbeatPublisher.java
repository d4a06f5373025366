package dev.kiln.worker.messaging;

import dev.kiln.worker.sweep.BuildContainerName;

import dev.kiln.schema.Resources;
import dev.kiln.schema.WorkerHeartbeat;
import dev.kiln.worker.capacity.WorkerCapacity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells the gateways what this worker can take: a heartbeat every interval (with jitter, so a fleet does not beat
 * in step), one more whenever a build starts or ends, and a tombstone when the worker stops.
 */
public final class HeartbeatPublisher implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HeartbeatPublisher.class);
  private final Producer<String, SpecificRecord> producer;
  private final String topic;
  private final String workerId;
  private final String engineId;
  private final WorkerCapacity capacity;
  private final Duration interval;
  private final Clock clock;
  private final Instant startedAt;
  private ScheduledFuture<?> task;

  public HeartbeatPublisher(Producer<String, SpecificRecord> producer, String topic, String workerId, String engineId,
      WorkerCapacity capacity, Duration interval, Clock clock) {
    this.producer = producer;
    this.topic = topic;
    this.workerId = workerId;
    this.engineId = engineId;
    this.capacity = capacity;
    this.interval = interval;
    this.clock = clock;
    this.startedAt = clock.instant();
  }

  /** This worker process: its worker id and start time, told apart from an earlier process of the same id. */
  public String instance() {
    return instanceOf(workerId, startedAt);
  }

  /** When this worker process started: with the worker id, it names the process's build containers. */
  public Instant startedAt() {
    return startedAt;
  }

  static String instanceOf(String workerId, Instant startedAt) {
    return BuildContainerName.workerInstance(workerId, startedAt.toEpochMilli());
  }

  public HeartbeatPublisher start(ScheduledExecutorService scheduler) {
    long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, interval.toMillis() / 5));
    task = scheduler.scheduleAtFixedRate(this::beat, 0, interval.toMillis() - jitter, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Sends the current capacity now. */
  public void beat() {
    try {
      producer.send(new ProducerRecord<>(topic, workerId, heartbeat()));
    } catch (RuntimeException e) {
      // A missed beat only makes the gateways more careful; the next one catches up.
      log.warn("heartbeat not sent: {}", e.toString());
    }
  }

  WorkerHeartbeat heartbeat() {
    return WorkerHeartbeat.newBuilder().setWorkerId(workerId).setVersion(version()).setEngineId(engineId)
        .setTotal(resources(capacity.total())).setFree(resources(capacity.free()))
        .setMaxBuild(resources(capacity.perSlot())).setSlots(capacity.slots()).setFreeSlots(capacity.freeSlots())
        .setRunningBuilds(capacity.runningBuilds()).setIntervalMs((int) interval.toMillis())
        .setStartedAt(startedAt).setSentAt(clock.instant()).build();
  }

  /** Stops beating and removes this worker from every gateway's view at once. */
  @Override
  public void close() {
    if (task != null) {
      task.cancel(false);
    }
    try {
      producer.send(new ProducerRecord<>(topic, workerId, null));
      producer.flush();
    } catch (RuntimeException e) {
      log.warn("could not announce the stop: {}", e.toString());
    }
  }

  private static Resources resources(WorkerCapacity.Amount amount) {
    return new Resources(amount.cpu(), amount.memoryMb(), amount.diskGb());
  }

  private static String version() {
    String version = HeartbeatPublisher.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }
}
