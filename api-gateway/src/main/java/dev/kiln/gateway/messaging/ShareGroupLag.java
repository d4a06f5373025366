package dev.kiln.gateway.messaging;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsResult;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker share groups' lag on the request topics (a group and a topic per size class) as the broker reports it
 * (Admin API): requests the groups have not acknowledged yet, queued or being built. A cross-check for the backlog the gateway's projection counts, from a
 * source that does not depend on the status topic. Read every {@code interval}; NaN until the first answer and
 * whenever the broker does not answer (or the group has no state on a partition yet).
 */
public final class ShareGroupLag implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ShareGroupLag.class);
  private final Admin admin;
  private final List<String> groups;
  private final Set<String> topics;
  private final Duration timeout;
  private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(runnable -> {
    Thread thread = new Thread(runnable, "share-group-lag");
    thread.setDaemon(true);
    return thread;
  });
  private volatile double lag = Double.NaN;

  public ShareGroupLag(Admin admin, Collection<String> groups, Collection<String> topics, Duration timeout) {
    this.admin = admin;
    this.groups = List.copyOf(groups);
    this.topics = Set.copyOf(topics);
    this.timeout = timeout;
  }

  /** Reads the lag now and every {@code interval} after. */
  public ShareGroupLag start(Duration interval) {
    schedule.scheduleWithFixedDelay(this::refresh, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /**
   * The last lag read: unacknowledged requests summed over the groups and the topics' partitions, or NaN when no
   * group answered. A group or topic no worker has read yet (a size class without a pool) has no state and adds
   * nothing.
   */
  public double lag() {
    return lag;
  }

  /** Asks the broker once. */
  public void refresh() {
    Map<String, ListShareGroupOffsetsSpec> specs = new java.util.HashMap<>();
    groups.forEach(group -> specs.put(group, new ListShareGroupOffsetsSpec()));
    ListShareGroupOffsetsResult result;
    try {
      result = admin.listShareGroupOffsets(specs);
    } catch (RuntimeException e) {
      // Thrown out of a scheduled run, it would end every later run.
      log.debug("share group lag unavailable: {}", e.toString());
      lag = Double.NaN;
      return;
    }
    double total = Double.NaN;
    for (String group : groups) {
      double groupLag = groupLag(result, group);
      if (!Double.isNaN(groupLag)) {
        total = Double.isNaN(total) ? groupLag : total + groupLag;
      }
    }
    lag = total;
  }

  private double groupLag(ListShareGroupOffsetsResult result, String group) {
    try {
      return sum(result.partitionsToOffsetInfo(group).get(timeout.toMillis(), TimeUnit.MILLISECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Double.NaN;
    } catch (Exception e) {
      log.debug("share group {} lag unavailable: {}", group, e.toString());
      return Double.NaN;
    }
  }

  private double sum(Map<TopicPartition, SharePartitionOffsetInfo> offsets) {
    long total = 0;
    boolean any = false;
    for (Map.Entry<TopicPartition, SharePartitionOffsetInfo> entry : offsets.entrySet()) {
      if (!topics.contains(entry.getKey().topic()) || entry.getValue() == null) {
        continue;
      }
      if (entry.getValue().lag().isEmpty()) {
        return Double.NaN;
      }
      total += entry.getValue().lag().get();
      any = true;
    }
    return any ? total : Double.NaN;
  }

  @Override
  public void close() {
    schedule.shutdownNow();
    admin.close(Duration.ofSeconds(2));
  }
}
