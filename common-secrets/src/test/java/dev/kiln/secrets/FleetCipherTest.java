package dev.kiln.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class FleetCipherTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);
  private static final String OTHER_KEY = Base64.getEncoder().encodeToString("0123456789abcdef0123456789abcdef".getBytes());
  private final RegistryCredentials credentials = new RegistryCredentials("basic", "ci", "s3cr3t-Passw0rd");

  @Test
  void sealThenOpen_roundTrips_andNeverShowsThePassword() throws Exception {
    FleetCipher cipher = FleetCipher.fromBase64(KEY);

    String sealed = cipher.seal(credentials, "build-1");

    assertThat(sealed).startsWith("v1:").doesNotContain("s3cr3t").doesNotContain("ci\n");
    assertThat(cipher.open(sealed, "build-1")).isEqualTo(credentials);
    assertThat(credentials.toString()).doesNotContain("s3cr3t");
    assertThat(cipher.seal(credentials, "build-1")).as("a fresh nonce each time").isNotEqualTo(sealed);
  }

  @Test
  void open_withAnotherBuildOrKey_fails() {
    String sealed = FleetCipher.fromBase64(KEY).seal(credentials, "build-1");

    assertThatThrownBy(() -> FleetCipher.fromBase64(KEY).open(sealed, "build-2"))
        .isInstanceOf(GeneralSecurityException.class);
    assertThatThrownBy(() -> FleetCipher.fromBase64(OTHER_KEY).open(sealed, "build-1"))
        .isInstanceOf(GeneralSecurityException.class);
  }

  @Test
  void fromBase64_wrongLength_isRefused() {
    assertThatThrownBy(() -> FleetCipher.fromBase64(Base64.getEncoder().encodeToString(new byte[16])))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("32 bytes");
  }
}
