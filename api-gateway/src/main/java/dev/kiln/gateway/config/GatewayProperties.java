package dev.kiln.gateway.config;

import java.time.Duration;
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
    String blobDir,
    String uploadSigningKey,
    String fleetKey) {}
