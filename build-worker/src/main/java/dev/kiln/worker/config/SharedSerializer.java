package dev.kiln.worker.config;

import org.apache.kafka.common.serialization.Serializer;

/** A serializer lent to many producers: closing one of them must not close it; the context closes it. */
final class SharedSerializer<T> implements Serializer<T> {
  private final Serializer<T> shared;

  SharedSerializer(Serializer<T> shared) {
    this.shared = shared;
  }

  @Override
  public byte[] serialize(String topic, T data) {
    return shared.serialize(topic, data);
  }

  @Override
  public void close() {
    // shared by every end's producer, closed with the context
  }
}
