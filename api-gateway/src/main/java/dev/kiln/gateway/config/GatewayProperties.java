package dev.kiln.gateway.config;

import dev.kiln.archive.ArchiveLimits;
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
    String adminToken,
    String adminTokenFile,
    boolean localMode,
    Tls tls,
    String gatewayId) {

  /** PEM files of the gateway's certificate (chain) and private key; both empty: plain HTTP. */
  public record Tls(String certificate, String privateKey) {}

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
