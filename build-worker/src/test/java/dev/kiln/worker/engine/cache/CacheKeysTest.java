package dev.kiln.worker.engine.cache;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Pins the key format: a change here silently invalidates (or worse, confuses) every fleet's cache, so it must be
 * a deliberate one, with {@link CacheKeys#VERSION} bumped.
 */
class CacheKeysTest {
  static final String BASE = "sha256:4f1e5b1a8e2f0c6b9d3a7e8c1f2b3a4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b";

  /** Values computed outside Java from the documented format: sha256 over "len:bytes" of each part. */
  @Test
  void keys_areGolden() {
    String base = CacheKeys.base(BASE);
    String run = CacheKeys.step(base, "RUN echo hello");
    String env = CacheKeys.step(run, "ENV A=1");

    assertThat(CacheKeys.VERSION).isEqualTo("kiln-cache-1");
    assertThat(base).isEqualTo("1239137c5ec8fb4b1d8e1cbfdddd1b3f1c2c3d4df6f564dd249975caf9c5f20a");
    assertThat(run).isEqualTo("29ea86fec32e0c5b9062885b812412040232841d8e2980d7a1a89ce627b0119b");
    assertThat(env).isEqualTo("8747b3379cc94c2ec84802147158274527b3a9a8f325dbd9becfd45d94257b23");
    assertThat(CacheKeys.finalImage(env))
        .isEqualTo("547aed8658d286984f62f188b494ff676d0d2ab6ae6da021978aabebc791869a");
  }

  @Test
  void everyInputChangesTheKey() {
    String base = CacheKeys.base(BASE);

    assertThat(CacheKeys.base(BASE.replace('4', '5'))).isNotEqualTo(base);
    assertThat(CacheKeys.step(base, "RUN echo hello")).isNotEqualTo(CacheKeys.step(base, "RUN echo hello "))
        .isNotEqualTo(CacheKeys.step(CacheKeys.base("other"), "RUN echo hello"));
    assertThat(CacheKeys.finalImage(base)).isNotEqualTo(CacheKeys.step(base, "final"));
  }

  @Test
  void partsCannotRunIntoEachOther() {
    assertThat(CacheKeys.step("ab", "c")).isNotEqualTo(CacheKeys.step("a", "bc"));
  }
}
