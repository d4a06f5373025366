package dev.kiln.worker.sweep;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BuildContainerNameTest {
  @Test
  void name_parsesBack_evenWithUnderscoresInTheWorkerId() {
    BuildContainerName owner = new BuildContainerName("3f1c-9a", 4, "node_7.worker-2", 1764763200123L);

    assertThat(BuildContainerName.parse("/" + owner.name("k3x9-12"))).contains(owner);
    assertThat(owner.workerInstance()).isEqualTo("node_7.worker-2@1764763200123");
  }

  @Test
  void namesThatKilnDidNotGive_areNotBuildContainers() {
    assertThat(BuildContainerName.parse("/hopeful_turing")).isEmpty();
    assertThat(BuildContainerName.parse("/my-kiln-build_b_1_w_1_1")).isEmpty();
    assertThat(BuildContainerName.parse("/kiln-build_b_x_w_1_1")).isEmpty();
    assertThat(BuildContainerName.parse("/kiln-build_b_1_1_1")).isEmpty();
    assertThat(BuildContainerName.parse("/kiln-build__1_w_1_1")).isEmpty();
    assertThat(BuildContainerName.parse("/kiln-build_b_1_w_1_UPPER")).isEmpty();
  }
}
