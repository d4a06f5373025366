package dev.kiln.schema.kafka;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs of one installation (one topic prefix), least privilege per identity: only workers write status,
 * logs and heartbeats; only the ledger writes build requests and template state; the gateway writes the ledger's
 * commands, cancels and the identity and audit topics; a downstream reader only reads the public topics.
 */
public final class KilnAcls {
  private final KilnTopics topics;
  private final List<AclBinding> bindings = new ArrayList<>();

  private KilnAcls(KilnTopics topics) {
    this.topics = topics;
  }

  /** Every allow rule the installation needs; the broker denies what no rule allows. */
  public static List<AclBinding> bindings(KilnTopics topics, KilnPrincipals principals) {
    KilnAcls acls = new KilnAcls(topics);
    acls.gateway("User:" + principals.gateway());
    acls.ledger("User:" + principals.ledger());
    acls.worker("User:" + principals.worker());
    acls.reader("User:" + principals.reader());
    return List.copyOf(acls.bindings);
  }

  /** Creates the bindings through an admin client signed in as a user allowed to alter ACLs (a super user). */
  public static void grant(Map<String, Object> operatorConnection, KilnTopics topics, KilnPrincipals principals) {
    try (Admin admin = Admin.create(operatorConnection)) {
      admin.createAcls(bindings(topics, principals)).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating Kiln's ACLs", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("creating Kiln's ACLs failed: " + e.getCause().getMessage(), e.getCause());
    }
  }

  private void gateway(String principal) {
    createsLayout(principal);
    topics(principal, AclOperation.WRITE, topics.templateCommands(), topics.buildControl(), topics.organizations(),
        topics.apiKeys(), topics.audit());
    topics(principal, AclOperation.READ, topics.buildRequestTopics());
    topics(principal, AclOperation.READ, topics.buildStatus(), topics.buildLogs(), topics.workers(), topics.templates(), topics.templateReplies(), topics.organizations(), topics.apiKeys());
    allow(principal, ResourceType.GROUP, topics.gatewayReplyGroupPrefix(), PatternType.PREFIXED, AclOperation.READ);
    // The workers' share group's lag, reported beside the queue the gateway counts (listShareGroupOffsets).
    groups(principal, topics.workerShareGroups(), AclOperation.DESCRIBE);
  }

  private void ledger(String principal) {
    topics(principal, AclOperation.READ, topics.templateCommands(), topics.buildStatus(),
        topics.templateBuildEvents());
    topics(principal, AclOperation.WRITE, topics.buildRequestTopics());
    topics(principal, AclOperation.WRITE, topics.templates(), topics.templateReplies(),
        topics.templateBuildEvents());
    // Kafka Streams' own: its changelog and repartition topics, its group, its exactly-once transactions.
    String application = topics.ledgerApplicationId();
    allow(principal, ResourceType.TOPIC, application, PatternType.PREFIXED, AclOperation.ALL);
    allow(principal, ResourceType.GROUP, application, PatternType.LITERAL, AclOperation.READ);
    allow(principal, ResourceType.TRANSACTIONAL_ID, application, PatternType.PREFIXED, AclOperation.WRITE);
  }

  private void worker(String principal) {
    createsLayout(principal);
    topics(principal, AclOperation.WRITE, topics.buildStatus(), topics.buildLogs(), topics.workers());
    topics(principal, AclOperation.READ, topics.buildRequestTopics());
    topics(principal, AclOperation.READ, topics.buildStatus(), topics.buildControl(),
        topics.templates(), topics.workers(), topics.buildDeadLetters());
    groups(principal, topics.workerShareGroups(), AclOperation.READ);
    // The worker sets its share group's lock duration, delivery limit and dead-letter topic at start.
    groups(principal, topics.workerShareGroups(), AclOperation.ALTER_CONFIGS);
    groups(principal, topics.workerShareGroups(), AclOperation.DESCRIBE_CONFIGS);
    allow(principal, ResourceType.GROUP, topics.deadLetterGroup(), PatternType.LITERAL, AclOperation.READ);
    allow(principal, ResourceType.TRANSACTIONAL_ID, topics.terminalTransactionPrefix(), PatternType.PREFIXED,
        AclOperation.WRITE);
  }

  private void reader(String principal) {
    topics(principal, AclOperation.READ, topics.buildStatus(), topics.buildLogs(), topics.templates());
    allow(principal, ResourceType.GROUP, topics.readerGroupPrefix(), PatternType.PREFIXED, AclOperation.READ);
  }

  /** Gateways and workers each create the topic layout when it is missing (an operator may create it first). */
  private void createsLayout(String principal) {
    for (TopicSpec topic : topics.all()) {
      allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.DESCRIBE);
      allow(principal, ResourceType.TOPIC, topic.name(), PatternType.LITERAL, AclOperation.CREATE);
    }
  }

  private void groups(String principal, List<String> names, AclOperation operation) {
    for (String name : names) {
      allow(principal, ResourceType.GROUP, name, PatternType.LITERAL, operation);
    }
  }

  private void topics(String principal, AclOperation operation, String... names) {
    topics(principal, operation, List.of(names));
  }

  private void topics(String principal, AclOperation operation, List<String> names) {
    for (String name : names) {
      allow(principal, ResourceType.TOPIC, name, PatternType.LITERAL, operation);
    }
  }

  private void allow(String principal, ResourceType type, String name, PatternType pattern, AclOperation operation) {
    bindings.add(new AclBinding(new ResourcePattern(type, name, pattern),
        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
  }
}
