package dev.kiln.worker.config;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The worker's settings ({@code kiln.*}; environment variables such as {@code KILN_WORKER_SLOTS} bind to them). */
@ConfigurationProperties("kiln")
public record WorkerProperties(
    String kafkaBootstrap,
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
    String fleetKey) {}
