package dev.kiln.worker.messaging;

import dev.kiln.worker.engine.FailureReason;
import dev.kiln.template.ReadyChecks;
import dev.kiln.template.TemplateNames;
import dev.kiln.archive.ArchiveLimits;
import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Step;
import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.worker.engine.plan.BaseImageAccess;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.CmdStep;
import dev.kiln.worker.engine.step.CopyStep;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.ReadyProbe;
import dev.kiln.worker.engine.step.StartCheck;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.engine.step.UserStep;
import dev.kiln.worker.engine.step.WorkdirStep;
import java.time.Duration;
import java.util.List;

/** Maps a {@link BuildRequested} event onto the engine's plain-Java {@link BuildPlan}. */
public final class PlanMapper {
  private static final long MB = 1024L * 1024;

  private PlanMapper() {}

  public static BuildPlan toPlan(BuildRequested request, PlanSettings settings, RegistryCredentials credentials) {
    StepLimits limits = new StepLimits(request.getResources().getCpu(), request.getResources().getMemoryMb() * MB,
        settings.stepTimeout(), request.getResources().getDiskGb() * 1024 * MB);
    return new BuildPlan(request.getFromImage(), limits,
        request.getSteps().stream().map(step -> toStep(step, settings.archiveLimits())).toList(), repository(request),
        request.getBuildId(), startCheck(request), credentials, cacheableSteps(request), settings.publishRegistry(),
        new BaseImageAccess(request.getOrganizationId(), settings.publishRegistry(), settings.cacheRepository(),
            settings.sharedCache()));
  }

  /** {@code skipCache} on the build: no step from the cache; on a step: none from that step on. */
  static int cacheableSteps(BuildRequested request) {
    if (request.getSkipCache()) {
      return 0;
    }
    List<dev.kiln.schema.Step> steps = request.getSteps();
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).getSkipCache()) {
        return i;
      }
    }
    return steps.size();
  }

  /** {@code kiln/<org>/<name>}: organization and name are both validated to be valid image-name parts. */
  public static String repository(BuildRequested request) {
    return TemplateNames.imageRepository(request.getOrganizationId(), request.getTemplateName());
  }

  /** startCmd with its readyCmd; without a startCmd there is nothing to start. */
  private static StartCheck startCheck(BuildRequested request) {
    if (request.getStartCmd() == null || request.getStartCmd().isBlank()) {
      return null;
    }
    ReadyCheck ready = request.getReadyCmd();
    if (ready == null) {
      return new StartCheck(request.getStartCmd(), null, ReadyChecks.defaultTimeout(),
          ReadyChecks.defaultInterval());
    }
    ReadyProbe probe = new ReadyProbe(ready.getType(), ready.getPort(), ready.getUrl(), ready.getPath(),
        ready.getProcessName(), ready.getCommand());
    try {
      return new StartCheck(request.getStartCmd(), probe, Duration.ofMillis(ready.getTimeoutMs()),
          Duration.ofMillis(ready.getIntervalMs()));
    } catch (IllegalArgumentException e) {
      throw new PlanRefused(FailureReason.INVALID_READY_CHECK, e.getMessage());
    }
  }

  /** COPY sources arrive comma-separated (as the SDKs send them); empty for the destination-only form. */
  private static List<String> sources(String joined) {
    return joined.isBlank() ? List.of() : List.of(joined.split(","));
  }

  private static BuildStep toStep(Step step, ArchiveLimits archiveLimits) {
    return switch (step.getKind()) {
      case RUN -> new RunStep(String.join(" ", step.getArgs()));
      case ENV -> new EnvStep(step.getArgs());
      case WORKDIR -> new WorkdirStep(step.getArgs().get(0));
      case USER -> new UserStep(step.getArgs().get(0));
      case CMD -> new CmdStep(step.getArgs());
      case COPY -> new CopyStep(sources(step.getArgs().get(0)), step.getArgs().get(1), step.getFilesHash(),
          step.getOwner(), step.getPermissions(), archiveLimits);
    };
  }
}
