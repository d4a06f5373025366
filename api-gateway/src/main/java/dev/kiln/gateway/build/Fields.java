package dev.kiln.gateway.build;

import dev.kiln.gateway.refusal.InvalidRequest;
import tools.jackson.databind.JsonNode;

/** Typed reads of JSON fields that fail with a 400 naming the field. */
final class Fields {
  private Fields() {}

  static String requiredString(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequest(field + " is required");
    }
    if (!node.isString() || node.asString().isBlank()) {
      throw new InvalidRequest(field + " must be a non-empty string");
    }
    return node.asString().trim();
  }

  static String optionalString(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isString()) {
      throw new InvalidRequest(field + " must be a string");
    }
    return node.asString();
  }

  static int requiredInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || node.isNull()) {
      throw new InvalidRequest(field + " is required");
    }
    return asInt(node, field);
  }

  static Integer optionalInt(JsonNode body, String field) {
    JsonNode node = body.get(field);
    return node == null || node.isNull() ? null : asInt(node, field);
  }

  static boolean optionalBoolean(JsonNode body, String field) {
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
