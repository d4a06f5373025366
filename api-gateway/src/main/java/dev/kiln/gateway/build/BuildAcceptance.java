package dev.kiln.gateway.build;

import dev.kiln.gateway.http.ApiException;
import dev.kiln.gateway.messaging.BuildRequestPublisher;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import java.time.Clock;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/** Turns a validated request of an organization into a queued {@link BuildRequested}. */
public class BuildAcceptance {
  private final BuildRequestPublisher publisher;
  private final Clock clock;

  public BuildAcceptance(BuildRequestPublisher publisher, Clock clock) {
    this.publisher = publisher;
    this.clock = clock;
  }

  /** Completes with the queued event once Kafka acknowledged it. */
  public CompletableFuture<BuildRequested> accept(String organizationId, TemplateBuildRequest request, String requestId) {
    refuseCopyWithoutUploads(request);
    // A template's first build shares its id with the template (HopX: "Build ID (same as template_id)").
    String buildId = UUID.randomUUID().toString();
    BuildRequested event = BuildRequested.newBuilder()
        .setBuildId(buildId).setTemplateId(buildId).setOrganizationId(organizationId)
        .setTemplateName(request.name()).setAttempt(0).setRequestId(requestId).setRequestedAt(clock.instant())
        .setFromImage(request.fromImage()).setResources(request.resources()).setSteps(request.steps())
        .setStartCmd(request.startCmd()).setReadyCmd(request.readyCmd()).setSkipCache(request.skipCache())
        .setUpdate(request.update()).setAgentVersion(request.agentVersion()).build();
    return publisher.publish(event).thenApply(done -> event);
  }

  /** No upload store exists in this version, so no COPY source can have been uploaded. */
  private static void refuseCopyWithoutUploads(TemplateBuildRequest request) {
    for (int i = 0; i < request.steps().size(); i++) {
      Step step = request.steps().get(i);
      if (step.getKind() == StepKind.COPY) {
        throw ApiException.invalid("steps[" + i + "]: COPY files " + step.getFilesHash() + " were never uploaded");
      }
    }
  }
}
