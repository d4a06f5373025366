package dev.kiln.gateway.build;

import dev.kiln.archive.BlobStore;
import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.gateway.refusal.NotFound;
import dev.kiln.gateway.refusal.Conflict;
import dev.kiln.gateway.ledger.TemplateLedger;
import dev.kiln.gateway.messaging.LedgerClient;
import dev.kiln.gateway.quota.BuildQuota;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandKind;
import dev.kiln.schema.TemplateCommandOutcome;
import dev.kiln.schema.TemplateCommandResult;
import dev.kiln.schema.kafka.SizeClass;
import dev.kiln.secrets.FleetCipher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Turns a validated request of an organization into a build the template ledger accepted and queued. */
public class BuildAcceptance {
  private final LedgerClient ledger;
  private final BlobStore uploads;
  private final Optional<FleetCipher> fleetCipher;
  private final Admission admission;
  private final BuildQuota quota;
  private final Clock clock;

  public BuildAcceptance(LedgerClient ledger, BlobStore uploads, Optional<FleetCipher> fleetCipher,
      Admission admission, BuildQuota quota, Clock clock) {
    this.admission = admission;
    this.quota = quota;
    this.ledger = ledger;
    this.uploads = uploads;
    this.fleetCipher = fleetCipher;
    this.clock = clock;
  }

  /**
   * Completes with the queued build's ids, or fails: the organization over its quotas (429), no worker could take
   * it (503), name taken or build running (409), no such template (404). Only a queued build counts in the quotas.
   */
  public CompletableFuture<TemplateCommandResult> accept(String organizationId, TemplateBuildRequest request,
      String requestId) {
    requireUploadedCopySources(organizationId, request);
    String buildId = UUID.randomUUID().toString();
    BuildQuota.Admitted admitted = quota.admit(organizationId, buildId);
    try {
      SizeClass pool = admission.admit(request.resources());
      return queue(organizationId, request, requestId, buildId, pool).whenComplete((result, failure) -> {
        if (failure != null || result.getOutcome() != TemplateCommandOutcome.ACCEPTED) {
          admitted.cancel();
        }
      }).thenApply(BuildAcceptance::accepted);
    } catch (RuntimeException e) {
      admitted.cancel();
      throw e;
    }
  }

  private CompletableFuture<TemplateCommandResult> queue(String organizationId, TemplateBuildRequest request,
      String requestId, String buildId, SizeClass pool) {
    BuildRequested build = BuildRequested.newBuilder()
        .setBuildId(buildId).setTemplateId(buildId).setOrganizationId(organizationId)
        .setTemplateName(request.name()).setAttempt(0).setRequestId(requestId).setRequestedAt(clock.instant())
        .setFromImage(request.fromImage()).setResources(request.resources()).setSteps(request.steps())
        .setStartCmd(request.startCmd()).setReadyCmd(request.readyCmd()).setSkipCache(request.skipCache())
        .setUpdate(request.update()).setAgentVersion(request.agentVersion())
        .setCredentialsRef(sealed(request, buildId)).setSizeClass(pool.label()).build();
    TemplateCommand command = TemplateCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
        .setKind(TemplateCommandKind.BUILD).setOrganizationId(organizationId).setTemplateName(request.name())
        .setBuild(build).setIssuedAt(clock.instant()).build();
    return ledger.ask(TemplateLedger.key(organizationId, request.name()), command);
  }

  /** Asks the ledger to delete a template of the organization. */
  public CompletableFuture<TemplateCommandResult> delete(String organizationId, String templateName) {
    TemplateCommand command = TemplateCommand.newBuilder().setCommandId(UUID.randomUUID().toString())
        .setKind(TemplateCommandKind.DELETE).setOrganizationId(organizationId).setTemplateName(templateName)
        .setIssuedAt(clock.instant()).build();
    return ledger.ask(TemplateLedger.key(organizationId, templateName), command).thenApply(BuildAcceptance::accepted);
  }

  private static TemplateCommandResult accepted(TemplateCommandResult result) {
    return switch (result.getOutcome()) {
      case ACCEPTED -> result;
      case CONFLICT -> throw new Conflict(result.getMessage());
      case NOT_FOUND -> throw new NotFound(result.getMessage());
      case REFUSED -> throw new InvalidRequest(result.getMessage());
    };
  }

  /** Credentials travel sealed with the fleet key: no topic, log or state store ever holds them in clear. */
  private String sealed(TemplateBuildRequest request, String buildId) {
    if (request.credentials() == null) {
      return null;
    }
    return fleetCipher.orElseThrow(() -> new InvalidRequest(
            "registry_credentials are not accepted: this Kiln has no fleet key (KILN_FLEET_KEY) to protect them"))
        .seal(request.credentials(), buildId);
  }

  /** A COPY may only name files this organization uploaded: the worker must find them. */
  private void requireUploadedCopySources(String organizationId, TemplateBuildRequest request) {
    for (int i = 0; i < request.steps().size(); i++) {
      Step step = request.steps().get(i);
      if (step.getKind() == StepKind.COPY && !uploaded(organizationId, step.getFilesHash())) {
        throw new InvalidRequest("steps[" + i + "]: COPY files " + step.getFilesHash() + " were never uploaded");
      }
    }
  }

  private boolean uploaded(String organizationId, String filesHash) {
    try {
      return uploads.info(organizationId, filesHash).isPresent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
