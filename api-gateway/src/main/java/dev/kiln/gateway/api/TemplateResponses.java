package dev.kiln.gateway.api;

import dev.kiln.gateway.ledger.TemplateSummaries;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.TemplateSummary;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The JSON of templates: HopX's list item, and its detail with the build config and the runtime config. */
final class TemplateResponses {
  private TemplateResponses() {}

  static Map<String, Object> item(TemplateState template) {
    TemplateSummary build = TemplateSummaries.of(template);
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
    TemplateSummary build = TemplateSummaries.of(template);
    Map<String, Object> body = item(template);
    body.put("from_image", build.getFromImage());
    body.put("image", template.getImageRef());
    body.put("last_build_status", template.getLatestBuildStatus().name().toLowerCase(Locale.ROOT));
    body.put("last_build_error", template.getLatestError());
    body.put("start_cmd", build.getStartCmd());
    body.put("runtime_config", runtimeConfig(build));
    body.put("request_id", requestId);
    return body;
  }

  /**
   * ENV, WORKDIR, USER and CMD persist into the template's runtime: users must see them, folded as the worker folds
   * them (a relative WORKDIR joined onto the previous one). The base image's own config is not known here.
   */
  private static Map<String, Object> runtimeConfig(TemplateSummary build) {
    Map<String, String> env = new LinkedHashMap<>();
    for (String pair : build.getEnv()) {
      int equals = pair.indexOf('=');
      env.put(pair.substring(0, equals), pair.substring(equals + 1));
    }
    Map<String, Object> config = new LinkedHashMap<>();
    config.put("env", env);
    config.put("workdir", build.getWorkdir());
    config.put("user", build.getUser());
    config.put("cmd", build.getCmd().isEmpty() ? null : build.getCmd());
    return config;
  }
}
