package dev.kiln.schema.kafka;

import java.util.Map;

/** A topic Kiln creates at start-up: its full name, partition count and topic configs. */
public record TopicSpec(String name, int partitions, Map<String, String> configs) {}
