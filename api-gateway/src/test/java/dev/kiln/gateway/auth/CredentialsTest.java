package dev.kiln.gateway.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

  @Test
  void withoutAnyKeyOrAdminToken_aGatewayRefusesToStart_namingWhatToSet() {
    assertThatThrownBy(() -> Credentials.configuredKeys("", "default", "", Optional.empty(), false))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("KILN_ADMIN_TOKEN").hasMessageContaining("KILN_BOOTSTRAP_API_KEY")
        .hasMessageContaining("KILN_LOCAL_MODE");
  }

  @Test
  void theDevelopmentKeyWorksInLocalModeOnly() {
    ApiKeys local = Credentials.configuredKeys(null, "default", null, Optional.empty(), true);
    assertThat(local.organizationOf(Credentials.LOCAL_DEV_KEY)).contains("default");
    ApiKeys localWithAdmin = Credentials.configuredKeys(null, "default", null, Optional.of("admin"), true);
    assertThat(localWithAdmin.organizationOf(Credentials.LOCAL_DEV_KEY)).contains("default");

    ApiKeys configured = Credentials.configuredKeys("real-key", "default", null, Optional.empty(), false);
    assertThat(configured.organizationOf(Credentials.LOCAL_DEV_KEY)).isEmpty();
    assertThat(configured.organizationOf("real-key")).contains("default");
    ApiKeys adminOnly = Credentials.configuredKeys(null, "default", null, Optional.of("admin"), false);
    assertThat(adminOnly.isEmpty()).isTrue();
    assertThat(adminOnly.organizationOf(Credentials.LOCAL_DEV_KEY)).isEmpty();
  }

  @Test
  void theAdminTokenComesFromTheFileWhenOneIsNamed(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "from-file\n");
    assertThat(Credentials.adminToken("from-env", file.toString())).contains("from-file");
    assertThat(Credentials.adminToken("from-env", "")).contains("from-env");
    assertThat(Credentials.adminToken(" ", null)).isEmpty();
  }

  @Test
  void secretsCompareByValueOnly() {
    assertThat(KeyDigests.sameSecret("a-token", "a-token")).isTrue();
    assertThat(KeyDigests.sameSecret("a-token", "a-tokem")).isFalse();
    assertThat(KeyDigests.sameSecret("", "a-token")).isFalse();
  }
}
