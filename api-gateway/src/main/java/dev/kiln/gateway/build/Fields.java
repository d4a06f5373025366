package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Typed reads of JSON fields that fail with a 400 naming the field. */
public final class Fields {
  private Fields() {}

  /** The body as a JSON object, or a 400 saying what is wrong with it. */
  public static JsonNode readObject(JsonMapper json, String body) {
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

  public static String requiredString(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequest(field + " is required");
    }
    if (!node.isString() || node.asString().isBlank()) {
      throw new InvalidRequest(field + " must be a non-empty string");
    }
    if (node.asString().length() > 4096) {
      throw new InvalidRequest(field + " must be at most 4096 characters");
    }
    return node.asString().trim();
  }

  public static String optionalString(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new InvalidRequest(field + " must be a string");
    }
    return node.asString();
  }

  /** An optional string of at most {@code maxChars} characters. */
  public static String optionalString(JsonNode body, String field, int maxChars) {
    String value = optionalString(body, field);
    if (value != null && value.length() > maxChars) {
      throw new InvalidRequest(field + " must be at most " + maxChars + " characters");
    }
    return value;
  }

  /** An optional integer within [min, max], {@code fallback} when absent. */
  public static int intInRange(JsonNode body, String field, int fallback, int min, int max) {
    Integer value = optionalInt(body, field);
    if (value == null) {
      return fallback;
    }
    if (value < min || value > max) {
      throw new InvalidRequest(field + " must be between " + min + " and " + max);
    }
    return value;
  }

  public static int requiredInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequest(field + " is required");
    }
    return asInt(node, field);
  }

  public static Integer optionalInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : asInt(node, field);
  }

  public static boolean optionalBoolean(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return false;
    }
    if (!node.isBoolean()) {
      throw new InvalidRequest(field + " must be true or false");
    }
    return node.asBoolean();
  }

  private static int asInt(JsonNode node, String field) {
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      throw new InvalidRequest(field + " must be an integer");
    }
    return node.asInt();
  }
}
