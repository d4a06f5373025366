package dev.kiln.gateway.projection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.LogLevel;
import dev.kiln.schema.LogLine;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class LogIndexTest {
  private final LogIndex index = new LogIndex();

  private void chunk(long offset, int attempt, int lines) {
    List<LogLine> content = IntStream.range(0, lines)
        .mapToObj(i -> new LogLine("l" + i, LogLevel.INFO, Instant.EPOCH)).toList();
    BuildLogChunk chunk = new BuildLogChunk("b1", attempt, "w1", 0, offset, content, Instant.EPOCH, Instant.EPOCH);
    index.accept(new ConsumerRecord<>("logs", 2, offset, "b1", chunk));
  }

  @Test
  void chunksFrom_lineInsideChunk_startsAtThatChunk() {
    chunk(10, 1, 3);
    chunk(11, 1, 4);
    chunk(15, 2, 2);

    assertThat(index.chunksFrom("b1", 0, 10)).extracting(LogIndex.ChunkRef::offset).containsExactly(10L, 11L, 15L);
    assertThat(index.chunksFrom("b1", 3, 10)).extracting(LogIndex.ChunkRef::offset).containsExactly(11L, 15L);
    assertThat(index.chunksFrom("b1", 6, 10)).extracting(LogIndex.ChunkRef::offset).containsExactly(11L, 15L);
    assertThat(index.chunksFrom("b1", 7, 1)).extracting(LogIndex.ChunkRef::firstLine).containsExactly(7L);
    assertThat(index.chunksFrom("b1", 9, 10)).isEmpty();
  }

  @Test
  void counts_perBuildAndAttempt() {
    chunk(1, 1, 3);
    chunk(2, 2, 4);
    chunk(3, 2, 1);

    assertThat(index.lineCount("b1")).isEqualTo(8);
    assertThat(index.chunkCount("b1", 2)).isEqualTo(2);
    assertThat(index.chunkCount("unknown", 1)).isZero();
  }
}
