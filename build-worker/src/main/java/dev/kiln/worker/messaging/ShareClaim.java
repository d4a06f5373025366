package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildRequested;
import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.KafkaException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A request claimed through a share consumer: renews its lock (RENEW) and acknowledges it at the end. A RENEW makes
 * the client hand out a new instance of the record, which is the one to acknowledge.
 */
final class ShareClaim implements HeldClaim {
  private static final Logger log = LoggerFactory.getLogger(ShareClaim.class);
  private final KafkaShareConsumer<String, BuildRequested> consumer;
  private ConsumerRecord<String, BuildRequested> record;

  ShareClaim(KafkaShareConsumer<String, BuildRequested> consumer, ConsumerRecord<String, BuildRequested> record) {
    this.consumer = consumer;
    this.record = record;
  }

  /** RENEW, then poll: the client hands the renewed record back once more before it can be acknowledged again. */
  @Override
  public boolean renew() {
    try {
      consumer.acknowledge(record, AcknowledgeType.RENEW);
      boolean renewed = consumer.commitSync().values().stream().allMatch(Optional::isEmpty);
      for (ConsumerRecord<String, BuildRequested> again : consumer.poll(Duration.ZERO)) {
        retake(again);
      }
      return renewed;
    } catch (KafkaException | IllegalStateException e) {
      log.warn("renewing the claim failed: {}", e.toString());
      return false;
    }
  }

  private void retake(ConsumerRecord<String, BuildRequested> again) {
    if (again.offset() == record.offset() && again.partition() == record.partition()) {
      record = again;
    } else {
      log.warn("slot got a second request {} while busy: releasing it", again.key());
      consumer.acknowledge(again, AcknowledgeType.RELEASE);
    }
  }

  /** Acknowledges the request so and commits; a failure is logged, the broker then redelivers the request. */
  void finish(ClaimEnd end) {
    AcknowledgeType type = acknowledgeType(end);
    try {
      consumer.acknowledge(record, type);
      consumer.commitSync().forEach((partition, error) -> error.ifPresent(e ->
          log.warn("{} of {} not committed: {}", type, record.key(), e.toString())));
    } catch (KafkaException | IllegalStateException e) {
      log.warn("{} of {} failed: {}", type, record.key(), e.toString());
    }
  }

  private static AcknowledgeType acknowledgeType(ClaimEnd end) {
    return switch (end) {
      case ACCEPT -> AcknowledgeType.ACCEPT;
      case RELEASE -> AcknowledgeType.RELEASE;
      case REJECT -> AcknowledgeType.REJECT;
    };
  }
}
