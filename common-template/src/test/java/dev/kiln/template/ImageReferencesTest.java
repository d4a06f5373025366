package dev.kiln.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ImageReferencesTest {
  @Test
  void repository_dropsTagAndDigest_butNotARegistryPort() {
    assertThat(ImageReferences.repository("busybox")).isEqualTo("busybox");
    assertThat(ImageReferences.repository("busybox:1.36")).isEqualTo("busybox");
    assertThat(ImageReferences.repository("127.0.0.1:5001/private/busybox")).isEqualTo("127.0.0.1:5001/private/busybox");
    assertThat(ImageReferences.repository("127.0.0.1:5001/private/busybox:1")).isEqualTo("127.0.0.1:5001/private/busybox");
    assertThat(ImageReferences.repository("kiln/o/t:1@sha256:0123")).isEqualTo("kiln/o/t");
    assertThat(ImageReferences.repository("kiln/o/t@sha256:0123")).isEqualTo("kiln/o/t");
  }
}
