package dev.kiln.worker.config;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.schema.kafka.KafkaLogin;
import dev.kiln.secrets.FleetCipher;
import dev.kiln.worker.docker.ContainerHardening;
import dev.kiln.worker.docker.SubnetPool;
import java.time.Duration;
import java.util.Optional;
import org.springframework.util.unit.DataSize;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The worker's settings ({@code kiln.*}; environment variables such as {@code KILN_WORKER_SLOTS} bind to them). */
@ConfigurationProperties("kiln")
public record WorkerProperties(
    String kafkaBootstrap,
    KafkaLogin kafkaLogin,
    String schemaRegistryUrl,
    String topicPrefix,
    String workerId,
    int workerSlots,
    String dockerHost,
    Duration stepTimeout,
    Duration claimLockDuration,
    Duration claimRenewInterval,
    String blobDir,
    Duration buildTimeout,
    String fleetKey,
    ArchiveSettings archive,
    CapacitySettings capacity,
    Duration heartbeatInterval,
    String cacheRepository,
    boolean cacheSharedAcrossOrganizations,
    String templateRegistry,
    DataSize cacheMaxSize,
    SandboxSettings sandbox,
    long buildLogMaxLines,
    DataSize buildLogMaxSize) {

  /** The worker's Kafka connection, signed in as the worker identity. */
  public java.util.Map<String, Object> kafka() {
    return (kafkaLogin == null ? KafkaLogin.NONE : kafkaLogin).clientProperties(kafkaBootstrap);
  }

  /** What opens registry credentials sealed by a gateway; none without a fleet key. */
  public Optional<FleetCipher> fleetCipher() {
    return fleetKey == null || fleetKey.isBlank() ? Optional.empty() : Optional.of(FleetCipher.fromBase64(fleetKey));
  }

  /** Resources this worker offers to builds; 0 means "as the Docker host has". */
  public record CapacitySettings(int cpu, int memoryMb, int diskGb) {}

  /** How build containers are restricted (see {@link ContainerHardening} for why each). */
  public record SandboxSettings(java.util.List<String> capabilities, boolean noNewPrivileges, long pidsLimit,
      long openFiles, String networkPool) {
    public ContainerHardening hardening() {
      return new ContainerHardening(capabilities, noNewPrivileges, pidsLimit, openFiles);
    }

    /** Where each build's own network takes its subnet from (see {@link SubnetPool}). */
    public SubnetPool networks() {
      return SubnetPool.parse(networkPool);
    }
  }

  /** Upload limits, checked again while unpacking: what an archive may weigh, how many entries, what ratio. */
  public record ArchiveSettings(DataSize maxCompressed, DataSize maxUnpacked, int maxEntries, int maxRatio) {
    public ArchiveLimits limits() {
      return new ArchiveLimits(maxCompressed.toBytes(), maxUnpacked.toBytes(), maxEntries, maxRatio,
          ArchiveLimits.DEFAULT.ratioFloorBytes());
    }
  }
}
