package dev.kiln.gateway.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeySecretsTest {

  @Test
  void secretsCarry256RandomBitsBehindARecognisablePrefix() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 1000; i++) {
      String secret = KeySecrets.newSecret();
      assertThat(secret).matches("kiln_live_[A-Za-z0-9_-]{43}");
      seen.add(secret);
    }
    assertThat(seen).hasSize(1000);
  }

  @Test
  void listingsShowOnlyTheFirstSixCharacters() {
    assertThat(KeySecrets.visiblePrefix("kiln_live_abcdef0123456789")).isEqualTo("kiln_live_abcdef…");
  }
}
