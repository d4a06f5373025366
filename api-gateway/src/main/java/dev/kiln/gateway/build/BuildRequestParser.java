package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.secrets.RegistryCredentials;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a raw {@code POST /v1/templates/build} body into a {@link TemplateBuildRequest}, or a 400 naming the field. */
public final class BuildRequestParser {
  /** Template names become part of image names, so they follow the image-name rule. */
  static final Pattern NAME = Pattern.compile("^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$");
  private static final Set<StepKind> METADATA_ONLY = EnumSet.of(StepKind.ENV, StepKind.WORKDIR, StepKind.USER);
  private static final Set<String> READY_TYPES = Set.of("port", "url", "file", "process", "command");

  private final JsonMapper json;
  private final ResourceLimits limits;

  public BuildRequestParser(JsonMapper json, ResourceLimits limits) {
    this.json = json;
    this.limits = limits;
  }

  public TemplateBuildRequest parse(String body) {
    JsonNode root = readObject(body);
    String name = Fields.requiredString(root, "name");
    if (!NAME.matcher(name).matches()) {
      throw new InvalidRequest("name must be 1-63 lowercase letters, digits, '.', '_' or '-', starting and ending with a letter or digit");
    }
    String fromImage = Fields.requiredString(root, "from_image");
    if (BaseImages.isAlpineByName(fromImage)) {
      throw new InvalidRequest(BaseImages.ALPINE_REFUSED);
    }
    var resources = limits.check(Fields.requiredInt(root, "cpu"), Fields.requiredInt(root, "memory"),
        Fields.requiredInt(root, "diskGB"));
    return new TemplateBuildRequest(name, fromImage, resources, steps(root), Fields.optionalString(root, "startCmd"),
        readyCheck(root.get("readyCmd")), Fields.optionalBoolean(root, "skipCache"),
        Fields.optionalBoolean(root, "update"), Fields.optionalString(root, "agent_version"),
        credentials(root.get("registry_credentials")));
  }

  private JsonNode readObject(String body) {
    if (body == null || body.isBlank()) {
      throw new InvalidRequest("request body is required (a JSON object)");
    }
    try {
      JsonNode root = json.readTree(body);
      if (root == null || !root.isObject()) {
        throw new InvalidRequest("request body must be a JSON object");
      }
      return root;
    } catch (JacksonException e) {
      throw new InvalidRequest("malformed JSON: " + e.getOriginalMessage());
    }
  }

  private static List<Step> steps(JsonNode root) {
    JsonNode node = root.get("steps");
    if (node != null && !node.isNull() && !node.isArray()) {
      throw new InvalidRequest("steps must be an array");
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; node != null && i < node.size(); i++) {
      steps.add(StepParser.parse(i, node.get(i)));
    }
    if (steps.stream().allMatch(step -> METADATA_ONLY.contains(step.getKind()))) {
      throw new InvalidRequest("steps must contain at least one RUN, COPY or CMD step");
    }
    return steps;
  }

  /** {@code {type: basic, username, password}} or {@code {type: token, token}}; never echoed back in errors. */
  private static RegistryCredentials credentials(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequest("registry_credentials must be an object");
    }
    String type = node.hasNonNull("type") ? Fields.requiredString(node, "type") : "basic";
    return switch (type) {
      case "basic" -> new RegistryCredentials("basic", Fields.requiredString(node, "username"),
          Fields.requiredString(node, "password"));
      case "token" -> new RegistryCredentials("token", null, node.hasNonNull("token")
          ? Fields.requiredString(node, "token") : Fields.requiredString(node, "password"));
      default -> throw new InvalidRequest("registry_credentials.type must be basic or token");
    };
  }

  private static ReadyCheck readyCheck(JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new InvalidRequest("readyCmd must be an object");
    }
    String type = Fields.requiredString(node, "type");
    if (!READY_TYPES.contains(type)) {
      throw new InvalidRequest("readyCmd.type must be one of port, url, file, process, command");
    }
    String process = Fields.optionalString(node, "processName");
    Integer timeout = Fields.optionalInt(node, "timeout");
    Integer interval = Fields.optionalInt(node, "interval");
    return ReadyCheck.newBuilder().setType(type).setPort(Fields.optionalInt(node, "port"))
        .setUrl(Fields.optionalString(node, "url")).setPath(Fields.optionalString(node, "path"))
        .setProcessName(process != null ? process : Fields.optionalString(node, "name"))
        .setCommand(Fields.optionalString(node, "command"))
        .setTimeoutMs(timeout != null ? timeout : 30000).setIntervalMs(interval != null ? interval : 2000).build();
  }
}
