package dev.kiln.worker.messaging;

import dev.kiln.schema.kafka.KilnSerdes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.config.ConfigResource;

/** The workers' share group: its settings, made idempotently before any worker polls, and its members'. */
public final class ShareGroupSetup {
  private ShareGroupSetup() {}

  /**
   * A build slot's share consumer in {@code group}: explicit acknowledgement, and one record per poll and per
   * acquisition (the default batch mode lets one slot grab hundreds of requests and lose their locks).
   */
  public static Map<String, Object> memberSettings(Map<String, ?> kafka, String registryUrl, String group) {
    Map<String, Object> config = KilnSerdes.shareConsumer(kafka, registryUrl);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put("share.acknowledgement.mode", "explicit");
    config.put("share.acquire.mode", "record_limit");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1);
    return config;
  }

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
