package dev.kiln.gateway.ledger;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serializer;

/** Measures a record as the ledger would write it to a topic, with the same serializer. */
public final class RecordSizes {
  /**
   * The largest record value the ledger writes: below the producer's 1 MB max.request.size, leaving room for the
   * key, headers and the batch overhead. A larger write would fail the transaction and the stream thread with it.
   */
  public static final int MAX_BYTES = 900_000;

  private final Serializer<SpecificRecord> serializer;

  public RecordSizes(Serializer<SpecificRecord> serializer) {
    this.serializer = serializer;
  }

  /** The serialized size of the value written to the topic. */
  public int size(String topic, SpecificRecord value) {
    byte[] bytes = serializer.serialize(topic, value);
    return bytes == null ? 0 : bytes.length;
  }
}
