package dev.kiln.gateway.config;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.schema.kafka.KafkaLogin;
import java.time.Duration;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The gateway's settings ({@code kiln.*}; environment variables such as {@code KILN_BOOTSTRAP_API_KEY} bind to
 * them).
 */
@ConfigurationProperties("kiln")
public record GatewayProperties(
    String kafkaBootstrap,
    KafkaLogin kafkaLogin,
    KafkaLogin ledgerKafkaLogin,
    String schemaRegistryUrl,
    String topicPrefix,
    String bootstrapApiKey,
    String defaultOrganization,
    String apiKeys,
    Duration unknownBuildWait,
    Duration kafkaMaxBlock,
    Duration ledgerReplyTimeout,
    String blobDir,
    String uploadSigningKey,
    String fleetKey,
    ArchiveSettings archive,
    DataSize maxRequestBytes,
    String ledgerStateDir,
    Quotas quotas,
    Queue queue,
    Projection projection,
    String adminToken,
    String adminTokenFile,
    boolean localMode,
    Tls tls,
    String gatewayId) {

  /** The HTTP side's Kafka connection, signed in as the gateway identity. */
  public java.util.Map<String, Object> kafka() {
    return login(kafkaLogin).clientProperties(kafkaBootstrap);
  }

  /**
   * The template ledger's Kafka connection, signed in as the ledger identity: only the ledger may write build
   * requests and template state, so a gateway that signs in must name both.
   */
  public java.util.Map<String, Object> ledgerKafka() {
    KafkaLogin ledger = login(ledgerKafkaLogin);
    if (login(kafkaLogin).authenticated() && !ledger.authenticated()) {
      throw new IllegalStateException("KILN_KAFKA_USERNAME is set but KILN_LEDGER_KAFKA_USERNAME is not: the"
          + " template ledger signs in to Kafka as its own identity (set KILN_LEDGER_KAFKA_USERNAME and"
          + " KILN_LEDGER_KAFKA_PASSWORD)");
    }
    return ledger.clientProperties(kafkaBootstrap);
  }

  private static KafkaLogin login(KafkaLogin configured) {
    return configured == null ? KafkaLogin.NONE : configured;
  }

  /** PEM files of the gateway's certificate (chain) and private key; both empty: plain HTTP. */
  public record Tls(String certificate, String privateKey) {}

  /** How long the views of an ended build stay in the heap, and where they go after. */
  public record Projection(Duration keptInHeap, String spillDir) {}

  /** The bound of the queue of accepted builds no worker has claimed yet. */
  public record Queue(Duration maxWait, int maxQueued) {}

  /** Per-organization limits; 0 turns one off. */
  public record Quotas(long requestsPerMinute, long buildsPerHour, int maxActiveBuildsPerOrg) {}

  /** Upload limits: what an archive may weigh compressed and unpacked, how many entries, what ratio. */
  public record ArchiveSettings(DataSize maxCompressed, DataSize maxUnpacked, int maxEntries, int maxRatio) {
    public ArchiveLimits limits() {
      return new ArchiveLimits(maxCompressed.toBytes(), maxUnpacked.toBytes(), maxEntries, maxRatio,
          ArchiveLimits.DEFAULT.ratioFloorBytes());
    }
  }
}
