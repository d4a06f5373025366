package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {
  @Test
  void parse_splitsRepositoryFromTagOrDigest_withLatestByDefault() {
    assertThat(ImageReference.parse("busybox")).isEqualTo(new ImageReference("busybox", "latest", false));
    assertThat(ImageReference.parse("127.0.0.1:5001/private/busybox:1"))
        .isEqualTo(new ImageReference("127.0.0.1:5001/private/busybox", "1", false));
    assertThat(ImageReference.parse("127.0.0.1:5000/kiln/o/t:b1@sha256:0123"))
        .isEqualTo(new ImageReference("127.0.0.1:5000/kiln/o/t", "sha256:0123", true));
    assertThat(ImageReference.parse("127.0.0.1:5001/private/busybox:1").registry()).isEqualTo("127.0.0.1:5001");
  }
}
