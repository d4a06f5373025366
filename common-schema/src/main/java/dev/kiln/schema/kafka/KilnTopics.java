package dev.kiln.schema.kafka;

import dev.kiln.schema.Resources;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Every topic name, partition count and retention in one place. Names take a configurable prefix (default
 * {@code kiln}) so that several Kiln installations can share a cluster.
 */
public final class KilnTopics {
  public static final String DEFAULT_PREFIX = "kiln";
  private static final String WEEK = String.valueOf(Duration.ofDays(7).toMillis());
  private static final String HOUR = String.valueOf(Duration.ofHours(1).toMillis());
  private static final String QUARTER = String.valueOf(Duration.ofDays(90).toMillis());
  private static final String TWO_YEARS = String.valueOf(Duration.ofDays(730).toMillis());

  /**
   * The longest a build request stays on its topic: 7 days of retention, plus the day-long segment it may share
   * with younger requests (Kafka deletes whole segments). A request older than this is never delivered again.
   */
  public static final Duration REQUEST_LIFETIME = Duration.ofDays(8);
  private static final String DAY = String.valueOf(Duration.ofDays(1).toMillis());

  private final String prefix;

  private KilnTopics(String prefix) {
    this.prefix = prefix;
  }

  public static KilnTopics withPrefix(String prefix) {
    return new KilnTopics(prefix == null || prefix.isBlank() ? DEFAULT_PREFIX : prefix);
  }

  /** The prefix every name here starts with (the dead-letter topic after its {@code dlq.}). */
  public String prefix() {
    return prefix;
  }

  /**
   * {@code BuildRequested} of one {@link SizeClass}, key build id, claimed through the workers' share group. The
   * smallest class keeps the name the one request topic had before there were classes, so that requests queued
   * before an upgrade are still read by every worker.
   */
  public String buildRequests(SizeClass sizeClass) {
    String topic = prefix + ".build.requests";
    return sizeClass == SizeClass.SMALL ? topic : topic + "." + sizeClass.label();
  }

  /** Where a build is requested: the topic of the pool it is queued for (see {@link SizeClass#queuedFor}). */
  public String buildRequestsFor(Resources build, String sizeClass) {
    return buildRequests(SizeClass.queuedFor(sizeClass, build));
  }

  /** Every size class's request topic, smallest class first. */
  public List<String> buildRequestTopics() {
    return java.util.Arrays.stream(SizeClass.values()).map(this::buildRequests).toList();
  }

  /** {@code BuildStatusChanged}, key build id. */
  public String buildStatus() {
    return prefix + ".build.status";
  }

  /** {@code BuildLogChunk}, key build id. */
  public String buildLogs() {
    return prefix + ".build.logs";
  }

  /** {@code WorkerHeartbeat}, key worker id, compacted. */
  public String workers() {
    return prefix + ".workers";
  }

  /** {@code TemplateState}, key org/name, compacted. */
  public String templates() {
    return prefix + ".templates";
  }

  /** {@code TemplateCommand}, key org/name: the template ledger's input. */
  public String templateCommands() {
    return prefix + ".template.commands";
  }

  /** {@code TemplateCommandResult}: the ledger's replies, read whole by every gateway. */
  public String templateReplies() {
    return prefix + ".template.replies";
  }

  /** {@code BuildStatusChanged} re-keyed by org/name, so that the ledger sees a template's commands and builds together. */
  public String templateBuildEvents() {
    return prefix + ".template.build-events";
  }

  /** {@code Organization}, key organization id, compacted: written by the admin API, read by every gateway. */
  public String organizations() {
    return prefix + ".organizations";
  }

  /** {@code ApiKey}, key key id, compacted: every gateway knows an issued or revoked key within a poll. */
  public String apiKeys() {
    return prefix + ".api-keys";
  }

  /** {@code AdminAction}, key organization id: every change made through the admin API. */
  public String audit() {
    return prefix + ".audit";
  }

  /**
   * The prefix of the transactional ids under which builds' terminal statuses are written, one id per build:
   * the prefix followed by the build id.
   */
  public String terminalTransactionPrefix() {
    return prefix + ".build-end.";
  }

  /** The Kafka Streams application id of the template ledger (its internal topics take this prefix). */
  public String ledgerApplicationId() {
    return prefix + "-template-ledger";
  }

  /** {@code BuildCancelRequested}, key build id; every worker reads all of it. */
  public String buildControl() {
    return prefix + ".build.control";
  }

  /**
   * Build requests the workers' share group gave up on after its last delivery (a copy of the request with
   * {@code __dlq.errors.*} headers). The broker requires the {@code dlq.} prefix of dead-letter topics by default.
   */
  public String buildDeadLetters() {
    return "dlq." + prefix + ".build.requests";
  }

  /** The consumer group through which workers share the dead-letter topic, each dead letter handled once. */
  public String deadLetterGroup() {
    return prefix + ".dead-letter-handlers";
  }

  /** The prefix of the consumer groups through which each gateway reads every ledger reply (one group each). */
  public String gatewayReplyGroupPrefix() {
    return prefix + ".gateway-replies-";
  }

  /** The prefix of the consumer groups downstream readers may use ({@code <prefix>.readers.billing}, say). */
  public String readerGroupPrefix() {
    return prefix + ".readers.";
  }

  /**
   * The share group through which one size class's pool of workers claims its requests: a group per class, so that
   * its one partition is given to every member (see {@link SizeClass}). The small class keeps the name the one group
   * had before classes.
   */
  public String workerShareGroup(SizeClass sizeClass) {
    String group = prefix + ".build-workers";
    return sizeClass == SizeClass.SMALL ? group : group + "." + sizeClass.label();
  }

  /** Every size class's share group, smallest class first. */
  public List<String> workerShareGroups() {
    return java.util.Arrays.stream(SizeClass.values()).map(this::workerShareGroup).toList();
  }

  /**
   * All topics with their layout. Each request topic has one partition: the share group then assigns it to every
   * member, so any free slot of any worker claims the oldest waiting request, and a request released by a dead or
   * frozen worker goes to the next free slot. With more partitions than that, each member gets only some of them,
   * and a released request waits (up to the dead member's session timeout, 45 s by default) while slots without its
   * partition idle. One share partition serves far more claims than a fleet of builds makes.
   */
  public List<TopicSpec> all() {
    List<TopicSpec> requests = buildRequestTopics().stream()
        .map(topic -> new TopicSpec(topic, 1, Map.of("cleanup.policy", "delete", "retention.ms", WEEK,
            "segment.ms", DAY))).toList();
    return Stream.concat(requests.stream(), Stream.of(
        new TopicSpec(buildStatus(), 3, Map.of("cleanup.policy", "delete", "retention.ms", QUARTER)),
        new TopicSpec(buildLogs(), 3, Map.of("cleanup.policy", "delete", "retention.ms", WEEK)),
        new TopicSpec(workers(), 1, Map.of("cleanup.policy", "compact")),
        new TopicSpec(templates(), 3, Map.of("cleanup.policy", "compact")),
        // Co-partitioned with the ledger's repartitioned status stream: both must keep the same count.
        new TopicSpec(templateCommands(), 3, Map.of("cleanup.policy", "delete", "retention.ms", WEEK)),
        new TopicSpec(templateBuildEvents(), 3, Map.of("cleanup.policy", "delete", "retention.ms", WEEK)),
        new TopicSpec(templateReplies(), 3, Map.of("cleanup.policy", "delete", "retention.ms", HOUR)),
        new TopicSpec(organizations(), 1, Map.of("cleanup.policy", "compact")),
        new TopicSpec(apiKeys(), 1, Map.of("cleanup.policy", "compact")),
        new TopicSpec(audit(), 1, Map.of("cleanup.policy", "delete", "retention.ms", TWO_YEARS)),
        new TopicSpec(buildControl(), 1, Map.of("cleanup.policy", "delete", "retention.ms", WEEK)),
        new TopicSpec(buildDeadLetters(), 1, Map.of("cleanup.policy", "delete", "retention.ms", QUARTER,
            "errors.deadletterqueue.group.enable", "true")))).toList();
  }
}
