package dev.kiln.gateway.api;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.schema.TemplateState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON of templates: HopX's list item, and its detail with the build config and the runtime config. */
final class TemplateResponses {
  private TemplateResponses() {}

  static Map<String, Object> item(TemplateState template) {
    BuildRequested build = template.getBuild();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", template.getTemplateId());
    body.put("object", "template");
    body.put("name", template.getName());
    body.put("display_name", template.getName());
    body.put("description", null);
    body.put("organization_id", template.getOrganizationId());
    body.put("is_public", false);
    body.put("status", template.getStatus());
    body.put("is_active", template.getIsActive());
    body.put("build_id", template.getLatestBuildId());
    body.put("default_resources", Map.of("vcpu", build.getResources().getCpu(),
        "memory_mb", build.getResources().getMemoryMb(), "disk_gb", build.getResources().getDiskGb()));
    body.put("created_at", template.getCreatedAt().toString());
    body.put("updated_at", template.getUpdatedAt().toString());
    return body;
  }

  static Map<String, Object> detail(TemplateState template, String requestId) {
    BuildRequested build = template.getBuild();
    Map<String, Object> body = item(template);
    body.put("from_image", build.getFromImage());
    body.put("image", template.getImageRef());
    body.put("last_build_status", template.getLatestBuildStatus().name().toLowerCase(java.util.Locale.ROOT));
    body.put("last_build_error", template.getLatestError());
    body.put("start_cmd", build.getStartCmd());
    body.put("runtime_config", runtimeConfig(build.getSteps()));
    body.put("request_id", requestId);
    return body;
  }

  /** ENV, WORKDIR and USER persist into the template's runtime: users must see them. */
  private static Map<String, Object> runtimeConfig(List<Step> steps) {
    Map<String, String> env = new LinkedHashMap<>();
    String workdir = null;
    String user = null;
    for (Step step : steps) {
      if (step.getKind() == StepKind.ENV) {
        step.getArgs().forEach(pair -> env.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1)));
      } else if (step.getKind() == StepKind.WORKDIR) {
        workdir = step.getArgs().get(0);
      } else if (step.getKind() == StepKind.USER) {
        user = step.getArgs().get(0);
      }
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("env", env);
    config.put("workdir", workdir);
    config.put("user", user);
    return config;
  }
}
