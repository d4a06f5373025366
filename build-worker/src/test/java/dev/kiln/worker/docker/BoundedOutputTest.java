package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedOutputTest {
  @Test
  void keepsTheFirstLinesUpToTheBound_andCountsTheRest() {
    BoundedOutput output = new BoundedOutput(20);
    for (int i = 0; i < 1000; i++) {
      output.line("y", false);
    }

    assertThat(output.summary()).isEqualTo("y | y | y | y | y … (995 more lines cut)");
  }

  @Test
  void cutsALongLine_andSaysSo() {
    BoundedOutput output = new BoundedOutput(10);
    output.line("0123456789abcdef", true);

    assertThat(output.summary()).isEqualTo("0123456789 … (1 more lines cut)");
  }

  @Test
  void nothingSaid_isNone() {
    assertThat(new BoundedOutput(10).summary()).isEqualTo("(none)");
  }
}
