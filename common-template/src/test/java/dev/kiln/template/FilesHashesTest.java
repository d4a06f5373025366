package dev.kiln.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The one files-hash form: what clients may send, and what is refused. */
class FilesHashesTest {
  private static final String HEX = "0123456789abcdef".repeat(4);

  @ParameterizedTest
  @ValueSource(strings = {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF0123456789ABCDEF"})
  void normalize_clientForms_giveLowercaseHex(String hash) {
    assertThat(FilesHashes.normalize(hash)).isEqualTo(HEX);
    assertThat(FilesHashes.isNormalized(FilesHashes.normalize(hash))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "abc", "sha512:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
      "../0123456789abcdef0123456789abcdef0123456789abcdef0123456789ab",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"})
  void normalize_otherStrings_areRefused(String hash) {
    assertThatThrownBy(() -> FilesHashes.normalize(hash)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("must be a sha256 hex digest");
    assertThat(FilesHashes.isNormalized(hash)).isFalse();
  }

  @org.junit.jupiter.api.Test
  void isNormalized_prefixedOrUppercase_isFalse() {
    assertThat(FilesHashes.isNormalized("sha256:" + HEX)).isFalse();
    assertThat(FilesHashes.isNormalized(HEX.toUpperCase())).isFalse();
    assertThat(FilesHashes.isNormalized(null)).isFalse();
  }
}
