package dev.kiln.worker.messaging;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.worker.engine.runner.BuildOutcome;
import java.time.Clock;

/** Makes the status events of one build attempt. */
final class StatusEvents {
  private final BuildRequested request;
  private final int attempt;
  private final String workerId;
  private final Clock clock;

  StatusEvents(BuildRequested request, int attempt, String workerId, Clock clock) {
    this.request = request;
    this.attempt = attempt;
    this.workerId = workerId;
    this.clock = clock;
  }

  BuildStatusChanged building(int progress, String currentStep, Integer stepIndex) {
    return base(BuildStatus.BUILDING, progress).setCurrentStep(currentStep).setStepIndex(stepIndex).build();
  }

  BuildStatusChanged terminal(BuildOutcome outcome, int progress, int logChunks) {
    var event = base(outcome.succeeded() ? BuildStatus.ACTIVE : BuildStatus.FAILED,
        outcome.succeeded() ? 100 : progress).setCompletedAt(clock.instant()).setLogChunks(logChunks);
    if (outcome.succeeded()) {
      return event.setImageRef(outcome.imageRef()).setImageId(outcome.imageId()).build();
    }
    return event.setErrorCode(outcome.errorCode()).setErrorMessage(outcome.errorMessage())
        .setStepIndex(outcome.failedStep()).build();
  }

  private BuildStatusChanged.Builder base(BuildStatus status, int progress) {
    return BuildStatusChanged.newBuilder().setBuildId(request.getBuildId()).setTemplateId(request.getTemplateId())
        .setOrganizationId(request.getOrganizationId()).setTemplateName(request.getTemplateName())
        .setAttempt(attempt).setWorkerId(workerId).setStatus(status).setProgress(progress)
        .setStartedAt(request.getRequestedAt()).setOccurredAt(clock.instant());
  }
}
