package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.template.ImageReferences;
import dev.kiln.template.ReadyChecks;
import dev.kiln.template.TemplateNames;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Turns a raw {@code POST /v1/templates/build} body into a {@link TemplateBuildRequest}, or a 400 naming the field. */
public final class BuildRequestParser {
  private static final Set<StepKind> METADATA_ONLY = EnumSet.of(StepKind.ENV, StepKind.WORKDIR, StepKind.USER);

  private final JsonMapper json;
  private final ResourceLimits limits;

  public BuildRequestParser(JsonMapper json, ResourceLimits limits) {
    this.json = json;
    this.limits = limits;
  }

  public TemplateBuildRequest parse(String body) {
    JsonNode root = readObject(body);
    String name = Fields.requiredString(root, "name");
    if (!TemplateNames.isValid(name)) {
      throw new InvalidRequest("name must be at most " + TemplateNames.MAX_LENGTH + " characters: lowercase letters "
          + "and digits, separated by single '.', '_', '__' or dashes");
    }
    String fromImage = Fields.requiredString(root, "from_image");
    if (!ImageReferences.isValid(fromImage)) {
      throw new InvalidRequest("from_image must be an image reference such as debian:bookworm-slim or "
          + "registry.example.com/team/image:tag, lowercase, at most " + ImageReferences.MAX_LENGTH + " characters");
    }
    if (BaseImages.isAlpineByName(fromImage)) {
      throw new InvalidRequest(BaseImages.ALPINE_REFUSED);
    }
    var resources = limits.check(Fields.requiredInt(root, "cpu"), Fields.requiredInt(root, "memory"),
        Fields.requiredInt(root, "diskGB"));
    String startCmd = Fields.optionalString(root, "startCmd", RequestLimits.MAX_START_CMD_CHARS);
    ReadyCheck readyCmd = readyCheck(root.get("readyCmd"));
    if (readyCmd != null && startCmd == null) {
      throw new InvalidRequest("readyCmd needs startCmd: the ready check runs against the started command");
    }
    return new TemplateBuildRequest(name, fromImage, resources, steps(root), startCmd, readyCmd,
        Fields.optionalBoolean(root, "skipCache"), Fields.optionalBoolean(root, "update"),
        Fields.optionalString(root, "agent_version", RequestLimits.MAX_AGENT_VERSION_CHARS),
        credentials(root.get("registry_credentials")));
  }

  private JsonNode readObject(String body) {
    return Fields.readObject(json, body);
  }

  private static List<Step> steps(JsonNode root) {
    JsonNode node = root.get("steps");
    if (node != null && !node.isNull() && !node.isArray()) {
      throw new InvalidRequest("steps must be an array");
    }
    if (node != null && node.size() > RequestLimits.MAX_STEPS) {
      throw new InvalidRequest("steps: at most " + RequestLimits.MAX_STEPS + " steps, got " + node.size());
    }
    List<Step> steps = new ArrayList<>();
    for (int i = 0; node != null && i < node.size(); i++) {
      steps.add(StepParser.parse(i, node.get(i)));
    }
    long envEntries = steps.stream().filter(step -> step.getKind() == StepKind.ENV)
        .mapToLong(step -> step.getArgs().size()).sum();
    if (envEntries > RequestLimits.MAX_ENV_ENTRIES) {
      throw new InvalidRequest("steps: at most " + RequestLimits.MAX_ENV_ENTRIES + " ENV entries in all");
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
    if (!ReadyChecks.TYPES.contains(type)) {
      throw new InvalidRequest("readyCmd.type must be one of port, url, file, process, command");
    }
    int max = RequestLimits.MAX_READY_FIELD_CHARS;
    String process = Fields.optionalString(node, "processName", max);
    ReadyCheck check = ReadyCheck.newBuilder().setType(type).setPort(port(node))
        .setUrl(Fields.optionalString(node, "url", max)).setPath(Fields.optionalString(node, "path", max))
        .setProcessName(process != null ? process : Fields.optionalString(node, "name", max))
        .setCommand(Fields.optionalString(node, "command", max))
        .setTimeoutMs(Fields.intInRange(node, "timeout", ReadyChecks.DEFAULT_TIMEOUT_MS,
            RequestLimits.MIN_READY_TIMEOUT_MS, RequestLimits.MAX_READY_TIMEOUT_MS))
        .setIntervalMs(Fields.intInRange(node, "interval", ReadyChecks.DEFAULT_INTERVAL_MS,
            RequestLimits.MIN_READY_INTERVAL_MS, RequestLimits.MAX_READY_INTERVAL_MS)).build();
    requireTarget(check);
    return check;
  }

  private static Integer port(JsonNode node) {
    Integer port = Fields.optionalInt(node, "port");
    if (port != null && (port < 1 || port > 65535)) {
      throw new InvalidRequest("readyCmd.port must be between 1 and 65535");
    }
    return port;
  }

  /** Each kind of check needs what it probes; without it the check could never pass. */
  private static void requireTarget(ReadyCheck check) {
    String missing = switch (check.getType()) {
      case "port" -> check.getPort() == null ? "port" : null;
      case "url" -> check.getUrl() == null || check.getUrl().isBlank() ? "url" : null;
      case "file" -> check.getPath() == null || check.getPath().isBlank() ? "path" : null;
      case "process" -> check.getProcessName() == null || check.getProcessName().isBlank() ? "processName" : null;
      default -> check.getCommand() == null || check.getCommand().isBlank() ? "command" : null;
    };
    if (missing != null) {
      throw new InvalidRequest("readyCmd of type " + check.getType() + " needs " + missing);
    }
  }
}
