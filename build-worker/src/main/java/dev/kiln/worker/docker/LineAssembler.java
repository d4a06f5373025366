package dev.kiln.worker.docker;

import dev.kiln.worker.engine.step.LogSink;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns Docker's log frames, which are not lines, into complete lines per stream. Frames must be copied by the
 * caller: docker-java reuses its buffer.
 */
final class LineAssembler {
  private static final int MAX_LINE_BYTES = 16 * 1024;
  private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
  private final LogSink sink;
  private final boolean error;

  LineAssembler(LogSink sink, boolean error) {
    this.sink = sink;
    this.error = error;
  }

  void accept(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n') {
        emit();
      } else if (b != '\r') {
        pending.write(b);
        if (pending.size() >= MAX_LINE_BYTES) {
          emit(); // a line without end (a progress bar) must not grow without bound
        }
      }
    }
  }

  /** Emits what is left after the stream ended without a final newline. */
  void finish() {
    if (pending.size() > 0) {
      emit();
    }
  }

  private void emit() {
    sink.line(pending.toString(StandardCharsets.UTF_8), error);
    pending.reset();
  }
}
