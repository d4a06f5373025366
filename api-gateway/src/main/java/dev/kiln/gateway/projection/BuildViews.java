package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;

/** Folds build events into a {@link BuildView}: the first terminal status wins and older attempts are ignored. */
public final class BuildViews {
  private BuildViews() {}

  /** The view of a build the moment it was accepted: building, progress 0, started at accept time. */
  public static BuildView accepted(BuildRequested request) {
    return new BuildView(request.getBuildId(), request.getTemplateId(), request.getOrganizationId(),
        request.getTemplateName(), 0, BuildStatus.BUILDING, 0, null, null, null, request.getRequestedAt(), null, null);
  }

  /** {@code current} after {@code event}; {@code current} may be null when the request was not seen. */
  public static BuildView apply(BuildView current, BuildStatusChanged event) {
    if (current != null && (current.terminal() || event.getAttempt() < current.attempt())) {
      return current;
    }
    return new BuildView(event.getBuildId(), event.getTemplateId(), event.getOrganizationId(),
        event.getTemplateName(), event.getAttempt(), event.getStatus(), event.getProgress(), event.getCurrentStep(),
        event.getErrorMessage(), event.getImageRef(),
        current != null ? current.startedAt() : event.getStartedAt(), event.getCompletedAt(), event.getLogChunks());
  }

  /** A request seen after (or again beside) its status events changes nothing. */
  public static BuildView apply(BuildView current, BuildRequested request) {
    return current != null ? current : accepted(request);
  }
}
