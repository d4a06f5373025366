package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildLogChunk;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * Where each build's log lines are in the log topic: per build, the chunks in order with their first line number.
 * The lines themselves stay in Kafka and are read on demand.
 */
public final class LogIndex {
  /** One chunk: its record's position and the build-wide line numbers it holds. */
  public record ChunkRef(TopicPartition partition, long offset, long firstLine, int lineCount, int attempt) {}

  /** The chunks of one build, appended by the single tailer thread and read by request threads. */
  private static final class BuildLog {
    private final List<ChunkRef> chunks = new ArrayList<>();
    private final Map<Integer, Integer> chunksPerAttempt = new ConcurrentHashMap<>();
    private volatile long lines;
  }

  private final Map<String, BuildLog> logs = new ConcurrentHashMap<>();

  /** Binary search: chunks are in line order, so a long log is not scanned per page. */
  private static int firstChunkEndingAfter(List<ChunkRef> chunks, long line) {
    int low = 0;
    int high = chunks.size();
    while (low < high) {
      int middle = (low + high) >>> 1;
      ChunkRef chunk = chunks.get(middle);
      if (chunk.firstLine() + chunk.lineCount() > line) {
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return low;
  }

  /** Indexes one record of the log topic. */
  public void accept(ConsumerRecord<String, Object> record) {
    if (!(record.value() instanceof BuildLogChunk chunk) || chunk.getLines().isEmpty()) {
      return;
    }
    BuildLog log = logs.computeIfAbsent(chunk.getBuildId(), id -> new BuildLog());
    synchronized (log) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      log.chunks.add(new ChunkRef(partition, record.offset(), log.lines, chunk.getLines().size(), chunk.getAttempt()));
      log.chunksPerAttempt.merge(chunk.getAttempt(), 1, Integer::sum);
      log.lines += chunk.getLines().size();
    }
  }

  /** Lines indexed so far for the build. */
  public long lineCount(String buildId) {
    BuildLog log = logs.get(buildId);
    return log == null ? 0 : log.lines;
  }

  /** Chunks indexed so far for one attempt of the build. */
  public int chunkCount(String buildId, int attempt) {
    BuildLog log = logs.get(buildId);
    return log == null ? 0 : log.chunksPerAttempt.getOrDefault(attempt, 0);
  }

  /** The chunks holding lines from {@code fromLine} on, at most {@code maxChunks}. */
  public List<ChunkRef> chunksFrom(String buildId, long fromLine, int maxChunks) {
    BuildLog log = logs.get(buildId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      int first = firstChunkEndingAfter(log.chunks, fromLine);
      return List.copyOf(log.chunks.subList(first, Math.min(log.chunks.size(), first + maxChunks)));
    }
  }
}
