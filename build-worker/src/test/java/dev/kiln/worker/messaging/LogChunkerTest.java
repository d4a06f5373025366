package dev.kiln.worker.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.schema.BuildLogChunk;
import dev.kiln.schema.LogLine;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LogChunkerTest {
  /** Kafka's own producer double: records are kept, not serialized (the values' bytes do not matter here). */
  final MockProducer<String, SpecificRecord> producer = new MockProducer<>(true, null,
      new StringSerializer(), (topic, value) -> new byte[0]);
  final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

  @AfterEach
  void stop() {
    scheduler.shutdownNow();
  }

  private LogChunker chunker(LogLimits limits) {
    return new LogChunker(new BuildEventPublisher(producer, "status", "logs"), "b1", 1, "w1", Clock.systemUTC(),
        scheduler, limits);
  }

  private List<String> sentLines() {
    return producer.history().stream().map(record -> (BuildLogChunk) record.value())
        .flatMap(chunk -> chunk.getLines().stream()).map(LogLine::getMessage).toList();
  }

  @Test
  void pastTheLineLimit_saysSoOnce_dropsTheRest_butKeepsKilnsOwnEnd() {
    LogChunker logs = chunker(new LogLimits(3, 1_000_000));
    for (int i = 0; i < 1000; i++) {
      logs.line("y", false);
    }
    logs.notice("step_failed: exited with code 1", true);
    logs.close();

    List<String> lines = sentLines();
    assertThat(lines).hasSize(5).startsWith("y", "y", "y").endsWith("step_failed: exited with code 1");
    assertThat(lines.get(3)).startsWith("log truncated: this build printed more than 3 lines or 1000000 bytes");
  }

  @Test
  void pastTheByteLimit_truncates() {
    LogChunker logs = chunker(new LogLimits(1_000_000, 10));
    logs.line("12345", false);
    logs.line("67890", false);
    logs.line("too much", false);
    logs.line("more", false);
    logs.close();

    assertThat(sentLines()).hasSize(3).startsWith("12345", "67890");
  }
}
