package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineAssemblerTest {
  private final List<String> lines = new ArrayList<>();
  private final LineAssembler assembler = new LineAssembler((text, error) -> lines.add(text), false);

  private void feed(String... frames) {
    for (String frame : frames) {
      assembler.accept(frame.getBytes(StandardCharsets.UTF_8));
    }
  }

  @Test
  void accept_framesSplitMidLine_yieldWholeLines() {
    feed("hel", "lo\nwor", "ld\r\n", "\n");
    assembler.finish();

    assertThat(lines).containsExactly("hello", "world", "");
  }

  @Test
  void finish_emitsTrailingTextWithoutNewline() {
    feed("no newline");
    assertThat(lines).isEmpty();

    assembler.finish();

    assertThat(lines).containsExactly("no newline");
  }

  @Test
  void accept_endlessLine_isCutAtTheCap() {
    feed("x".repeat(40_000));

    assertThat(lines).hasSize(2).allSatisfy(line -> assertThat(line).hasSize(16 * 1024));
  }

  @ParameterizedTest
  @CsvSource({"debian:bookworm-slim, debian, bookworm-slim", "127.0.0.1:5000/a/b, 127.0.0.1:5000/a/b, latest",
      "busybox, busybox, latest", "reg:5000/x@sha256:abc, reg:5000/x, sha256:abc"})
  void imageReference_splitsRepositoryAndTag(String reference, String repository, String tag) {
    ImageReference parsed = ImageReference.parse(reference);
    assertThat(parsed.repository()).isEqualTo(repository);
    assertThat(parsed.tagOrDigest()).isEqualTo(tag);
  }
}
