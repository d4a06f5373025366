package dev.kiln.worker.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.common.config.ConfigResource;

/** Configures the workers' share group, idempotently, before any worker polls. */
public final class ShareGroupSetup {
  private ShareGroupSetup() {}

  /**
   * Earliest offset reset (else requests written before the first worker joined are skipped), RENEW allowed
   * (off by default), the claim lock duration, the delivery limit and the dead-letter topic that receives a copy
   * of each request archived after its last delivery.
   */
  public static void configure(Admin admin, String group, Duration lockDuration, int deliveryLimit,
      String deadLetterTopic) throws ExecutionException, InterruptedException {
    Map<String, String> settings = Map.of(
        "errors.deadletterqueue.topic.name", deadLetterTopic,
        "errors.deadletterqueue.copy.record.enable", "true",
        "share.auto.offset.reset", "earliest",
        // Requests are written in the template ledger's transactions: never claim an aborted one.
        "share.isolation.level", "read_committed",
        "share.renew.acknowledge.enable", "true",
        "share.record.lock.duration.ms", String.valueOf(lockDuration.toMillis()),
        "share.delivery.count.limit", String.valueOf(deliveryLimit));
    List<AlterConfigOp> ops = settings.entrySet().stream()
        .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
        .toList();
    admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.GROUP, group), ops)).all().get();
  }
}
