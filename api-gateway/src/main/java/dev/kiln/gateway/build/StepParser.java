package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import dev.kiln.schema.Step;
import dev.kiln.schema.StepKind;
import dev.kiln.template.FilesHashes;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads one step in any form a real client sends (HopX docs, the JS SDK, the Python SDK) into its one normalized
 * form; every refusal names the step by its index.
 */
final class StepParser {
  private final int index;
  private final JsonNode node;

  private StepParser(int index, JsonNode node) {
    this.index = index;
    this.node = node;
  }

  static Step parse(int index, JsonNode node) {
    return new StepParser(index, node).parse();
  }

  private Step parse() {
    if (node == null || !node.isObject()) {
      throw invalid("must be an object with a type");
    }
    JsonNode type = node.get("type");
    if (type == null || !type.isString() || type.asString().isBlank()) {
      throw invalid("type is required");
    }
    StepKind kind = kindOf(type.asString());
    List<String> args = switch (kind) {
      case RUN -> List.of(runCommand());
      case ENV -> envArgs();
      case WORKDIR -> List.of(single("path"));
      case USER -> List.of(single("user"));
      case CMD -> nonEmptyArgs();
      case COPY -> copyArgs();
    };
    return Step.newBuilder().setKind(kind).setArgs(args)
        .setFilesHash(kind == StepKind.COPY ? filesHash() : null)
        .setOwner(optionalText("owner")).setPermissions(optionalText("permissions"))
        .setSkipCache(node.path("skipCache").asBoolean(false)).build();
  }

  private StepKind kindOf(String type) {
    try {
      return StepKind.valueOf(type.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw invalid("unknown step type '" + type + "' (expected RUN, COPY, ENV, WORKDIR, USER or CMD)");
    }
  }

  /** RUN's args joined into one shell command, bounded as one argument is. */
  private String runCommand() {
    String command = String.join(" ", nonEmptyArgs());
    if (command.length() > RequestLimits.MAX_ARG_CHARS) {
      throw invalid("RUN command must be at most " + RequestLimits.MAX_ARG_CHARS + " characters");
    }
    return command;
  }

  /** ENV as K=V pairs, alternating keys and values, or the JS SDK's key/value fields. */
  private List<String> envArgs() {
    if (node.has("key")) {
      return List.of(envPair(text(node.get("key"), "key"), text(node.get("value"), "value")));
    }
    List<String> args = nonEmptyArgs();
    if (args.stream().allMatch(arg -> arg.contains("="))) {
      args.forEach(arg -> envPair(arg.substring(0, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1)));
      return args;
    }
    if (args.size() % 2 != 0) {
      throw invalid("ENV args must be K=V pairs or an even list of keys and values");
    }
    List<String> pairs = new ArrayList<>();
    for (int i = 0; i < args.size(); i += 2) {
      pairs.add(envPair(args.get(i), args.get(i + 1)));
    }
    return pairs;
  }

  private String envPair(String key, String value) {
    if (key.isBlank() || key.contains("=") || key.chars().anyMatch(Character::isWhitespace)) {
      throw invalid("invalid ENV name '" + key + "'");
    }
    return key + "=" + value;
  }

  /** COPY keeps [sources, destination]; the seed's destination-only form gets an empty source list. */
  private List<String> copyArgs() {
    List<String> args = nonEmptyArgs();
    if (args.size() > 2) {
      throw invalid("COPY args must be [sources, destination] or [destination]");
    }
    String destination = args.get(args.size() - 1);
    if (destination.isBlank()) {
      throw invalid("COPY destination is required");
    }
    return List.of(args.size() == 2 ? args.get(0) : "", destination);
  }

  private String filesHash() {
    String hash = optionalText("filesHash");
    if (hash == null || hash.isBlank()) {
      throw invalid("COPY needs filesHash (upload the files first)");
    }
    try {
      return FilesHashes.normalize(hash);
    } catch (IllegalArgumentException e) {
      throw invalid("filesHash " + e.getMessage());
    }
  }

  /** WORKDIR and USER: one argument, or the JS SDK's named field. */
  private String single(String field) {
    JsonNode named = node.get(field);
    String value = named != null && !named.isNull() ? text(named, field) : nonEmptyArgs().get(0);
    if (value.isBlank()) {
      throw invalid(field + " must not be empty");
    }
    return value;
  }

  private List<String> nonEmptyArgs() {
    JsonNode args = node.get("args");
    if (args == null || !args.isArray() || args.isEmpty()) {
      throw invalid("args must be a non-empty array of strings");
    }
    if (args.size() > RequestLimits.MAX_ARGS_PER_STEP) {
      throw invalid("at most " + RequestLimits.MAX_ARGS_PER_STEP + " args");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode arg : args) {
      values.add(text(arg, "args"));
    }
    return values;
  }

  private String optionalText(String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : text(value, field);
  }

  private String text(JsonNode value, String field) {
    if (value == null || !value.isString()) {
      throw invalid(field + " must be a string");
    }
    if (value.asString().length() > RequestLimits.MAX_ARG_CHARS) {
      throw invalid(field + " must be at most " + RequestLimits.MAX_ARG_CHARS + " characters");
    }
    return value.asString();
  }

  private InvalidRequest invalid(String problem) {
    return new InvalidRequest("steps[" + index + "]: " + problem);
  }
}
