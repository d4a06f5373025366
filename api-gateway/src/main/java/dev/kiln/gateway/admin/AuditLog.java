package dev.kiln.gateway.admin;

import dev.kiln.gateway.refusal.Unavailable;
import dev.kiln.schema.AdminAction;
import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** Writes each admin change to the audit topic before the change is answered: no change goes unrecorded. */
public final class AuditLog {
  private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(5);
  private final KafkaTemplate<String, SpecificRecord> kafka;
  private final String topic;
  private final Clock clock;

  public AuditLog(KafkaTemplate<String, SpecificRecord> kafka, String topic, Clock clock) {
    this.kafka = kafka;
    this.topic = topic;
    this.clock = clock;
  }

  /** Who did it, from where, in which request: the caller's part of an {@link AdminAction}. */
  public record Actor(String name, String sourceAddress, String requestId) {}

  void record(Actor actor, String action, String organizationId, String target) {
    AdminAction event = AdminAction.newBuilder().setActionId(UUID.randomUUID().toString()).setActor(actor.name())
        .setSourceAddress(actor.sourceAddress()).setAction(action).setOrganizationId(organizationId)
        .setTarget(target).setRequestId(actor.requestId()).setOccurredAt(clock.instant()).build();
    write(kafka, topic, organizationId, event);
  }

  /** Sends and waits for the broker's acknowledgement, or answers 503. */
  static void write(KafkaTemplate<String, SpecificRecord> kafka, String topic, String key, SpecificRecord value) {
    try {
      kafka.send(topic, key, value).get(WRITE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Unavailable("interrupted while writing to Kafka");
    } catch (ExecutionException | TimeoutException e) {
      throw new Unavailable("Kafka did not take the change in time, retry later");
    } catch (RuntimeException e) {
      throw new Unavailable("Kafka did not take the change in time, retry later");
    }
  }
}
