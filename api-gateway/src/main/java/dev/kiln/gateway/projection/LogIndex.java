package dev.kiln.gateway.projection;

import dev.kiln.schema.BuildLogChunk;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * Where each build's log lines are in the log topic: per build, the chunks in order with their first line number.
 * The lines themselves stay in Kafka and are read on demand. A build's index leaves the heap for a
 * {@link SpillStore} once no chunk came for it for a while (its build ended, or is silent), and comes back if one
 * does: the heap holds the logs being written and read now, not the whole topic's.
 */
public final class LogIndex {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final TypeReference<List<StoredChunk>> STORED = new TypeReference<>() {};

  /** One chunk: its record's position and the build-wide line numbers it holds. */
  public record ChunkRef(TopicPartition partition, long offset, long firstLine, int lineCount, int attempt) {}

  /** A chunk as the spill store keeps it. */
  private record StoredChunk(String topic, int partition, long offset, long firstLine, int lineCount, int attempt) {
    static StoredChunk of(ChunkRef chunk) {
      return new StoredChunk(chunk.partition().topic(), chunk.partition().partition(), chunk.offset(),
          chunk.firstLine(), chunk.lineCount(), chunk.attempt());
    }

    ChunkRef ref() {
      return new ChunkRef(new TopicPartition(topic, partition), offset, firstLine, lineCount, attempt);
    }
  }

  /** The chunks of one build, appended by the single tailer thread and read by request threads. */
  private static final class BuildLog {
    private final List<ChunkRef> chunks = new ArrayList<>();
    private final Map<Integer, Integer> chunksPerAttempt = new ConcurrentHashMap<>();
    private volatile long lines;
    /** When its last chunk was written: it leaves the heap that long after. */
    private Instant lastChunkAt = Instant.MIN;

    void add(ChunkRef chunk) {
      chunks.add(chunk);
      chunksPerAttempt.merge(chunk.attempt(), 1, Integer::sum);
      lines = chunk.firstLine() + chunk.lineCount();
    }
  }

  private final Map<String, BuildLog> logs = new ConcurrentHashMap<>();
  private final SpillStore.Section spilled;
  /** Each chunk's arrival, by its last line's time; stale once a later chunk of the same build came. */
  private final Ageing arrivals;

  /** An index that keeps every build's chunks in the heap. */
  public LogIndex() {
    this(null, Duration.ZERO, Clock.systemUTC());
  }

  /** An index that moves a build's chunks to {@code spilled} once none came for {@code keptAfterLastChunk}. */
  public LogIndex(SpillStore spilled, Duration keptAfterLastChunk, Clock clock) {
    this.spilled = spilled == null ? null : spilled.section("logs");
    this.arrivals = new Ageing(keptAfterLastChunk, clock);
  }

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
    BuildLog log = logs.computeIfAbsent(chunk.getBuildId(), this::fromStoreOrNew);
    synchronized (log) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      log.add(new ChunkRef(partition, record.offset(), log.lines, chunk.getLines().size(), chunk.getAttempt()));
      log.lastChunkAt = chunk.getLastLineAt();
    }
    if (spilled != null) {
      arrivals.stamp(chunk.getBuildId(), chunk.getLastLineAt());
      arrivals.forEachDue(this::moveOutIfQuiet);
    }
  }

  /** Lines indexed so far for the build. */
  public long lineCount(String buildId) {
    BuildLog log = find(buildId);
    return log == null ? 0 : log.lines;
  }

  /** Chunks indexed so far for one attempt of the build. */
  public int chunkCount(String buildId, int attempt) {
    BuildLog log = find(buildId);
    return log == null ? 0 : log.chunksPerAttempt.getOrDefault(attempt, 0);
  }

  /** The chunks holding lines from {@code fromLine} on, at most {@code maxChunks}. */
  public List<ChunkRef> chunksFrom(String buildId, long fromLine, int maxChunks) {
    BuildLog log = find(buildId);
    if (log == null) {
      return List.of();
    }
    synchronized (log) {
      int first = firstChunkEndingAfter(log.chunks, fromLine);
      return List.copyOf(log.chunks.subList(first, Math.min(log.chunks.size(), first + maxChunks)));
    }
  }

  /** How many builds' indexes are in the heap. */
  public int buildsInHeap() {
    return logs.size();
  }

  private BuildLog find(String buildId) {
    BuildLog log = logs.get(buildId);
    return log != null ? log : stored(buildId);
  }

  private BuildLog fromStoreOrNew(String buildId) {
    BuildLog stored = stored(buildId);
    return stored != null ? stored : new BuildLog();
  }

  private BuildLog stored(String buildId) {
    if (spilled == null) {
      return null;
    }
    return spilled.get(buildId).map(bytes -> {
      BuildLog log = new BuildLog();
      JSON.readValue(bytes, STORED).forEach(chunk -> log.add(chunk.ref()));
      return log;
    }).orElse(null);
  }

  /** Moves a build's index out of the heap unless a chunk came for it since the stamp that fell due. */
  private void moveOutIfQuiet(String buildId) {
    BuildLog log = logs.get(buildId);
    if (log == null) {
      return;
    }
    synchronized (log) {
      if (!log.lastChunkAt.isBefore(arrivals.cutoff())) {
        return;
      }
      // Written before it leaves the heap: a reader finds it in one place or the other.
      spilled.put(buildId, JSON.writeValueAsBytes(log.chunks.stream().map(StoredChunk::of).toList()));
      logs.remove(buildId);
    }
  }
}
