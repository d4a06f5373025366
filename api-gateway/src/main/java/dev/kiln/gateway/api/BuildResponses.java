package dev.kiln.gateway.api;

import dev.kiln.gateway.projection.BuildView;
import dev.kiln.schema.TemplateCommandResult;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The JSON bodies of the build endpoints, with exactly the keys HopX's clients expect: the Python SDK builds its
 * objects with {@code Dataclass(**json)}, so an extra or a missing key breaks it.
 */
final class BuildResponses {
  private BuildResponses() {}

  static Map<String, Object> accepted(TemplateCommandResult queued, String logsUrl, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("build_id", queued.getBuildId());
    body.put("template_id", queued.getTemplateId());
    body.put("status", "building");
    body.put("logs_url", logsUrl);
    body.put("request_id", requestId);
    return body;
  }

  static Map<String, Object> status(BuildView build, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("build_id", build.buildId());
    body.put("template_id", build.templateId());
    body.put("status", statusName(build));
    body.put("progress", build.progress());
    body.put("current_step", build.currentStep());
    body.put("started_at", text(build.startedAt()));
    body.put("completed_at", text(build.completedAt()));
    body.put("error_message", build.errorMessage());
    body.put("build_duration_ms", build.completedAt() == null ? null
        : Duration.between(build.startedAt(), build.completedAt()).toMillis());
    body.put("request_id", requestId);
    return body;
  }

  static Map<String, Object> logs(String lines, long offset, BuildView build, boolean complete, String requestId) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("logs", lines);
    body.put("offset", offset);
    body.put("status", statusName(build));
    body.put("complete", complete);
    body.put("request_id", requestId);
    return body;
  }

  static String statusName(BuildView build) {
    return build.status().name().toLowerCase(Locale.ROOT);
  }

  private static String text(Instant instant) {
    return instant == null ? null : instant.toString();
  }
}
