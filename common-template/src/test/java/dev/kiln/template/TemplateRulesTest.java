package dev.kiln.template;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Names and image references: what the distribution spec allows and the hostile forms seen in issue 9. */
class TemplateRulesTest {
  @ParameterizedTest
  @CsvSource({"hello,true", "a.b,true", "a_b,true", "a__b,true", "a--b,true", "a..b,false", "a._b,false",
      "a___b,false", "-a,false", "a-,false", "Hello,false", "a/b,false", "'',false"})
  void templateName_followsThePathComponentGrammar(String name, boolean valid) {
    assertThat(TemplateNames.isValid(name)).isEqualTo(valid);
  }

  @ParameterizedTest
  @CsvSource({"debian:bookworm-slim,true", "python:3.11-slim,true", "127.0.0.1:5000/kiln/base:1,true",
      "ghcr.io/org/img@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef,true",
      "Debian,false", "file:///etc/passwd,false", "debian:,false", "a b,false", "../etc,false"})
  void imageReference_parsesAsDockerDoes(String reference, boolean valid) {
    assertThat(ImageReferences.isValid(reference)).isEqualTo(valid);
  }

  @org.junit.jupiter.api.Test
  void imageReference_longerThan255_isRefused() {
    assertThat(ImageReferences.isValid("a".repeat(5000))).isFalse();
    assertThat(TemplateNames.isValid("a".repeat(64))).isFalse();
  }
}
