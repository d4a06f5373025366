package dev.kiln.gateway.ledger;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.BuildStatus;
import dev.kiln.schema.BuildStatusChanged;
import dev.kiln.schema.TemplateCommand;
import dev.kiln.schema.TemplateCommandOutcome;
import dev.kiln.schema.TemplateCommandResult;
import dev.kiln.schema.TemplateCommandKind;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.TemplateSummary;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The template ledger's rules, as pure functions: whether a create, update or delete of a name is allowed given the
 * template's current state, and how build events move that state. Run by one writer per name.
 */
public final class TemplateLedger {
  static final String EXISTS = "Template already exists. Set update=true to update it.";
  /**
   * Stored error texts keep at most this many UTF-8 bytes (marker included): with the request kept only as a
   * {@link TemplateSummary}, a state fits in one record whatever the build wrote.
   */
  static final int MAX_ERROR_BYTES = 4 * 1024;
  static final String TRUNCATED = "… [truncated]";

  private TemplateLedger() {}

  /**
   * What a command does: the reply, the template's next state ({@code null}: unchanged), whether it is deleted,
   * and the build to queue ({@code null}: none).
   */
  public record Decision(TemplateCommandResult reply, TemplateState next, boolean deleted, BuildRequested build) {}

  public static Decision decide(TemplateState current, TemplateCommand command, Instant now) {
    if (command.getKind() == TemplateCommandKind.DELETE) {
      return delete(current, command);
    }
    BuildRequested build = command.getBuild();
    if (!build.getUpdate()) {
      return current != null ? refuse(command, TemplateCommandOutcome.CONFLICT, EXISTS) : create(command, build, now);
    }
    if (current == null) {
      return refuse(command, TemplateCommandOutcome.NOT_FOUND,
          "Template " + command.getTemplateName() + " not found; set update=false to create it.");
    }
    if (current.getLatestBuildStatus() == BuildStatus.BUILDING) {
      return refuse(command, TemplateCommandOutcome.CONFLICT,
          "A build of template " + command.getTemplateName() + " is already running (" + current.getLatestBuildId() + ").");
    }
    return update(current, command, build, now);
  }

  /** The state after a build event of the template's latest build; {@code null} when nothing changes. */
  public static TemplateState apply(TemplateState current, BuildStatusChanged event, Instant now) {
    if (current == null || !event.getBuildId().equals(current.getLatestBuildId())
        || current.getLatestBuildStatus() != BuildStatus.BUILDING || event.getStatus() == BuildStatus.BUILDING) {
      return null;
    }
    TemplateState.Builder next = TemplateState.newBuilder(TemplateSummaries.current(current))
        .setLatestBuildStatus(event.getStatus()).setUpdatedAt(now);
    if (event.getStatus() == BuildStatus.ACTIVE) {
      return next.setStatus("active").setIsActive(true).setActiveBuildId(event.getBuildId())
          .setImageRef(event.getImageRef()).setLatestError(null).build();
    }
    // A failed update leaves the template active on its previous build, with the failure recorded.
    return next.setStatus(current.getIsActive() ? "active" : "failed").setLatestError(bounded(event.getErrorMessage())).build();
  }

  private static Decision create(TemplateCommand command, BuildRequested build, Instant now) {
    BuildRequested queued = BuildRequested.newBuilder(build).setTemplateId(build.getBuildId()).build();
    TemplateSummary summary = summary(queued);
    if (summary == null) {
      return invalidSteps(command);
    }
    TemplateState state = TemplateState.newBuilder().setTemplateId(queued.getTemplateId())
        .setOrganizationId(command.getOrganizationId()).setName(command.getTemplateName()).setStatus("building")
        .setIsActive(false).setLatestBuildId(queued.getBuildId()).setLatestBuildStatus(BuildStatus.BUILDING)
        .setSummary(summary).setCreatedAt(now).setUpdatedAt(now).build();
    return new Decision(accepted(command, queued), state, false, queued);
  }

  private static Decision update(TemplateState current, TemplateCommand command, BuildRequested build, Instant now) {
    BuildRequested queued = BuildRequested.newBuilder(build).setTemplateId(current.getTemplateId()).build();
    TemplateSummary summary = summary(queued);
    if (summary == null) {
      return invalidSteps(command);
    }
    TemplateState state = TemplateState.newBuilder(current).setLatestBuildId(queued.getBuildId())
        .setLatestBuildStatus(BuildStatus.BUILDING).setBuild(null).setSummary(summary).setUpdatedAt(now).build();
    return new Decision(accepted(command, queued), state, false, queued);
  }

  /**
   * The summary the state keeps, {@code null} for steps that fold into no runtime config (an ENV without {@code =},
   * an empty WORKDIR): gateways never send those, but a command that threw here would be replayed forever.
   */
  private static TemplateSummary summary(BuildRequested build) {
    try {
      return TemplateSummaries.of(build);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static Decision invalidSteps(TemplateCommand command) {
    return refuse(command, TemplateCommandOutcome.REFUSED, "The template's steps fold into no runtime config.");
  }

  /** The text cut to {@link #MAX_ERROR_BYTES} UTF-8 bytes, ending with {@link #TRUNCATED} when cut. */
  static String bounded(String text) {
    if (text == null || text.getBytes(StandardCharsets.UTF_8).length <= MAX_ERROR_BYTES) {
      return text;
    }
    int budget = MAX_ERROR_BYTES - TRUNCATED.getBytes(StandardCharsets.UTF_8).length;
    StringBuilder kept = new StringBuilder();
    int bytes = 0;
    for (int i = 0; i < text.length(); ) {
      int codePoint = text.codePointAt(i);
      int size = new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8).length;
      if (bytes + size > budget) {
        break;
      }
      kept.appendCodePoint(codePoint);
      bytes += size;
      i += Character.charCount(codePoint);
    }
    return kept.append(TRUNCATED).toString();
  }

  private static Decision delete(TemplateState current, TemplateCommand command) {
    if (current == null) {
      return refuse(command, TemplateCommandOutcome.NOT_FOUND, "Template " + command.getTemplateName() + " not found");
    }
    if (current.getLatestBuildStatus() == BuildStatus.BUILDING) {
      return refuse(command, TemplateCommandOutcome.CONFLICT,
          "A build of template " + current.getName() + " is running; cancel it before deleting the template.");
    }
    TemplateCommandResult reply = TemplateCommandResult.newBuilder().setCommandId(command.getCommandId())
        .setOutcome(TemplateCommandOutcome.ACCEPTED).setTemplateId(current.getTemplateId()).build();
    return new Decision(reply, null, true, null);
  }

  private static TemplateCommandResult accepted(TemplateCommand command, BuildRequested queued) {
    return TemplateCommandResult.newBuilder().setCommandId(command.getCommandId())
        .setOutcome(TemplateCommandOutcome.ACCEPTED).setTemplateId(queued.getTemplateId())
        .setBuildId(queued.getBuildId()).build();
  }

  /** Refuses a command whose records would not fit in a Kafka record; nothing else changes. */
  public static Decision tooLarge(TemplateCommand command, int bytes, int limit) {
    return refuse(command, TemplateCommandOutcome.REFUSED, "The template's build request is too large to store ("
        + bytes + " bytes serialized, at most " + limit + "): shorten agent_version, steps or other fields.");
  }

  private static Decision refuse(TemplateCommand command, TemplateCommandOutcome outcome, String message) {
    return new Decision(TemplateCommandResult.newBuilder().setCommandId(command.getCommandId()).setOutcome(outcome)
        .setMessage(message).build(), null, false, null);
  }

  /** The ledger's key: one writer per organization and name. */
  public static String key(String organizationId, String templateName) {
    return organizationId + "/" + templateName;
  }
}
