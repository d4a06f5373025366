package dev.kiln.gateway.admin;

import dev.kiln.schema.AdminAction;
import java.time.Clock;
import java.util.UUID;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;

/** Writes each admin change to the audit topic before the change is answered: no change goes unrecorded. */
public final class AuditLog {
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
    AcknowledgedWrites.send(kafka, topic, organizationId, event);
  }
}
