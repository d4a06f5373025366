package dev.kiln.gateway.config;

import dev.kiln.gateway.admin.AuditLog;
import dev.kiln.gateway.admin.IdentityAdmin;
import dev.kiln.gateway.api.AdminController;
import dev.kiln.gateway.api.LogStreams;
import dev.kiln.gateway.projection.IdentityDirectory;
import org.apache.avro.specific.SpecificRecord;
import org.springframework.kafka.core.KafkaTemplate;
import dev.kiln.gateway.messaging.CancelPublisher;
import dev.kiln.gateway.api.TemplateBuildController;
import dev.kiln.gateway.projection.BuildLogs;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import dev.kiln.gateway.api.TemplatesController;
import dev.kiln.gateway.projection.TemplateProjection;
import dev.kiln.gateway.auth.PublicRoutes;
import dev.kiln.gateway.http.BodyLimitFilter;
import dev.kiln.gateway.http.ErrorResponses;
import dev.kiln.gateway.build.Admission;
import dev.kiln.gateway.build.QueueBound;
import dev.kiln.gateway.quota.BuildQuota;
import dev.kiln.gateway.quota.QuotaLimits;
import dev.kiln.schema.Organization;
import dev.kiln.gateway.quota.RequestQuota;
import dev.kiln.gateway.quota.RequestQuotaFilter;
import dev.kiln.gateway.build.BuildAcceptance;
import dev.kiln.gateway.projection.WorkerView;
import dev.kiln.gateway.build.BuildRequestParser;
import dev.kiln.gateway.build.ResourceLimits;
import dev.kiln.gateway.messaging.LedgerClient;
import dev.kiln.gateway.projection.BuildProjection;
import dev.kiln.gateway.projection.LogIndex;
import dev.kiln.gateway.projection.LogReader;
import dev.kiln.schema.kafka.KilnTopics;
import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.BlobStore;
import dev.kiln.archive.LocalDirectoryBlobStore;
import dev.kiln.gateway.api.UploadsController;
import dev.kiln.gateway.upload.UploadReceiver;
import dev.kiln.gateway.upload.UploadSigner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import dev.kiln.secrets.FleetCipher;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.json.JsonMapper;

/** Wires the gateway: parsing, the request producer and the projections. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GatewayProperties.class)
public class GatewayConfig {

  @Bean
  KilnTopics kilnTopics(GatewayProperties properties) {
    return KilnTopics.withPrefix(properties.topicPrefix());
  }

  @Bean
  ErrorResponses errorResponses(JsonMapper json) {
    return new ErrorResponses(json);
  }

  /**
   * After Spring Security's chain (authentication) and the place kept for quotas ({@code DEFAULT_FILTER_ORDER + 10}):
   * an unauthenticated or throttled caller is refused before a byte of its body is read.
   */
  @Bean
  FilterRegistrationBean<BodyLimitFilter> bodyLimitFilter(GatewayProperties properties, ErrorResponses errors) {
    var registration = new FilterRegistrationBean<>(
        new BodyLimitFilter(properties.maxRequestBytes().toBytes(), PublicRoutes::isSignedUpload, errors));
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 20);
    return registration;
  }

  /** After authentication (a request without a valid key costs no budget), before the body is read. */
  @Bean
  FilterRegistrationBean<RequestQuotaFilter> requestQuotaFilter(QuotaLimits limits, ErrorResponses errors) {
    RequestQuota quota = new RequestQuota(limits, Clock.systemUTC());
    var registration = new FilterRegistrationBean<>(new RequestQuotaFilter(quota, errors));
    registration.setOrder(SecurityFilterProperties.DEFAULT_FILTER_ORDER + 10);
    return registration;
  }

  /** The configured defaults, overridden by what an organization's record says. */
  @Bean
  QuotaLimits quotaLimits(GatewayProperties properties, IdentityDirectory directory) {
    GatewayProperties.Quotas defaults = properties.quotas();
    return new QuotaLimits(defaults.requestsPerMinute(), defaults.buildsPerHour(), defaults.maxActiveBuildsPerOrg(),
        organization -> directory.organization(organization).map(Organization::getQuotas));
  }

  @Bean
  IdentityAdmin identityAdmin(KafkaTemplate<String, SpecificRecord> eventTemplate, KilnTopics topics,
      IdentityDirectory directory) {
    AuditLog audit = new AuditLog(eventTemplate, topics.audit(), Clock.systemUTC());
    return new IdentityAdmin(eventTemplate, topics, directory, audit, Clock.systemUTC());
  }

  @Bean
  AdminController adminController(IdentityAdmin admin, IdentityDirectory directory, JsonMapper json) {
    return new AdminController(admin, directory, json, Clock.systemUTC());
  }

  @Bean
  BuildRequestParser buildRequestParser(JsonMapper json) {
    return new BuildRequestParser(json, ResourceLimits.HOPX_DEFAULT);
  }

  @Bean
  BuildAcceptance buildAcceptance(LedgerClient ledger, BlobStore uploads, WorkerView workers, BuildProjection builds,
      QuotaLimits limits, GatewayProperties properties) {
    Optional<FleetCipher> cipher = properties.fleetKey() == null || properties.fleetKey().isBlank()
        ? Optional.empty() : Optional.of(FleetCipher.fromBase64(properties.fleetKey()));
    BuildQuota quota = new BuildQuota(limits, builds::active, builds::seen, Clock.systemUTC());
    QueueBound bound = new QueueBound(properties.queue().maxWait(), properties.queue().maxQueued(),
        QueueBound.UNKNOWN_BUILD_DURATION);
    return new BuildAcceptance(ledger, uploads, cipher,
        new Admission(workers::live, builds::unclaimed, builds::typicalBuildDuration, bound), quota, Clock.systemUTC());
  }

  @Bean
  BlobStore uploadStore(GatewayProperties properties) {
    return new LocalDirectoryBlobStore(Path.of(properties.blobDir()));
  }

  @Bean
  UploadsController uploadsController(BlobStore uploads, GatewayProperties properties, JsonMapper json) {
    UploadSigner signer = new UploadSigner(signingKey(properties), Clock.systemUTC());
    ArchiveLimits limits = properties.archive().limits();
    UploadReceiver receiver = new UploadReceiver(uploads, limits,
        Path.of(properties.blobDir()).resolve(".spool"), Clock.systemUTC());
    return new UploadsController(uploads, signer, receiver, limits, json, Clock.systemUTC());
  }

  /** Gateways behind one load balancer must share the key: a link signed by one is checked by another. */
  private static byte[] signingKey(GatewayProperties properties) {
    if (properties.uploadSigningKey() != null && !properties.uploadSigningKey().isBlank()) {
      return properties.uploadSigningKey().getBytes(StandardCharsets.UTF_8);
    }
    LoggerFactory.getLogger(GatewayConfig.class)
        .warn("KILN_UPLOAD_SIGNING_KEY is not set: upload links are signed with a random key valid on this gateway only");
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return key;
  }

  @Bean
  TemplatesController templatesController(TemplateProjection templates, BuildAcceptance acceptance,
      GatewayProperties properties) {
    return new TemplatesController(templates, acceptance, properties.unknownBuildWait());
  }

  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService logStreamScheduler() {
    return Executors.newScheduledThreadPool(2);
  }

  @Bean
  TemplateBuildController templateBuildController(BuildRequestParser parser, BuildAcceptance acceptance,
      BuildProjection builds, LogIndex logIndex, LogReader logReader, ScheduledExecutorService logStreamScheduler,
      CancelPublisher cancels, GatewayProperties properties) {
    BuildLogs logs = new BuildLogs(logIndex, logReader);
    return new TemplateBuildController(parser, acceptance, builds, logs,
        new LogStreams(builds, logs, logStreamScheduler), cancels, properties.unknownBuildWait());
  }
}
