package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildLogChunk;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/** Reads a page of a build's log lines straight from the log topic, at the positions {@link LogIndex} knows. */
public final class LogReader implements AutoCloseable {
  private static final int MAX_CHUNKS_PER_PAGE = 64;
  private static final Duration FETCH_TIMEOUT = Duration.ofSeconds(5);
  private final LogIndex index;
  private final KafkaConsumer<String, Object> consumer;

  public LogReader(LogIndex index, Supplier<KafkaConsumer<String, Object>> consumers) {
    this.index = index;
    this.consumer = consumers.get();
  }

  /** Lines from {@code fromLine} on, at most {@code maxLines}, and the line number to continue from. */
  public LogPage read(String buildId, long fromLine, int maxLines) {
    List<LogIndex.ChunkRef> chunks = index.chunksFrom(buildId, fromLine, MAX_CHUNKS_PER_PAGE);
    Map<Long, BuildLogChunk> records = fetch(chunks);
    List<LogPage.Line> lines = new ArrayList<>();
    long next = fromLine;
    for (LogIndex.ChunkRef ref : chunks) {
      BuildLogChunk chunk = records.get(ref.offset());
      if (chunk == null || lines.size() >= maxLines) {
        break;
      }
      int from = (int) (next - ref.firstLine());
      int to = Math.min(chunk.getLines().size(), from + maxLines - lines.size());
      chunk.getLines().subList(from, to).forEach(line -> lines.add(new LogPage.Line(line, chunk.getStepIndex())));
      next = ref.firstLine() + to;
    }
    return new LogPage(lines, next);
  }

  /** The chunk records, read in one forward pass per partition (a build's chunks share its key's partition). */
  private synchronized Map<Long, BuildLogChunk> fetch(List<LogIndex.ChunkRef> chunks) {
    Map<Long, BuildLogChunk> found = new HashMap<>();
    if (chunks.isEmpty()) {
      return found;
    }
    TopicPartition partition = chunks.get(0).partition();
    long last = chunks.get(chunks.size() - 1).offset();
    consumer.assign(List.of(partition));
    consumer.seek(partition, chunks.get(0).offset());
    long deadline = System.nanoTime() + FETCH_TIMEOUT.toNanos();
    while (consumer.position(partition) <= last && System.nanoTime() < deadline) {
      for (ConsumerRecord<String, Object> record : consumer.poll(Duration.ofMillis(100))) {
        if (record.value() instanceof BuildLogChunk chunk && record.offset() <= last) {
          found.put(record.offset(), chunk);
        }
      }
    }
    return found;
  }

  @Override
  public synchronized void close() {
    consumer.close();
  }
}
