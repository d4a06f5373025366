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
    // An older attempt's end still counts: it may commit after the next attempt began, and the end fence keeps it
    // the build's only end, which that next attempt then does not write again.
    boolean olderProgress = event.getAttempt() < currentAttempt(current) && event.getStatus() == BuildStatus.BUILDING;
    if (current != null && (current.terminal() || olderProgress)) {
      return current;
    }
    return new BuildView(event.getBuildId(), event.getTemplateId(), event.getOrganizationId(),
        event.getTemplateName(), event.getAttempt(), event.getStatus(), event.getProgress(), event.getCurrentStep(),
        event.getErrorMessage(), event.getImageRef(),
        current != null ? current.startedAt() : event.getStartedAt(), event.getCompletedAt(), event.getLogChunks());
  }

  private static int currentAttempt(BuildView current) {
    return current == null ? 0 : current.attempt();
  }

  /** A request seen after (or again beside) its status events changes nothing. */
  public static BuildView apply(BuildView current, BuildRequested request) {
    return current != null ? current : accepted(request);
  }
}
