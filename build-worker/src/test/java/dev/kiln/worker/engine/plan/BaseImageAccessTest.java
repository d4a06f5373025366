package dev.kiln.worker.engine.plan;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BaseImageAccessTest {
  final BaseImageAccess orgB = new BaseImageAccess("org-b", "127.0.0.1:5000", "127.0.0.1:5000/kiln-cache", false);

  @Test
  void anotherOrganizationsTemplates_areRefused_onTheNodeAndInTheRegistry() {
    assertThat(orgB.refusal("kiln/org-a/hello:123")).isPresent();
    assertThat(orgB.refusal("docker.io/kiln/org-a/hello:123")).isPresent();
    assertThat(orgB.refusal("KILN/Org-A/hello:123")).isPresent();
    assertThat(orgB.refusal("127.0.0.1:5000/kiln/org-a/hello:1@sha256:ab")).isPresent();
  }

  @Test
  void theLayerCache_isNobodysBase() {
    assertThat(orgB.refusal("kiln/cache:0123abcd")).isPresent();
    assertThat(orgB.refusal("127.0.0.1:5000/kiln-cache:0123abcd")).isPresent();
    assertThat(orgB.refusal("127.0.0.1:5000/kiln-cache/nested:1")).isPresent();
  }

  @Test
  void ownTemplatesAndPublicImages_areAllowed() {
    assertThat(orgB.refusal("kiln/org-b/hello:123")).isEmpty();
    assertThat(orgB.isOwnTemplate("127.0.0.1:5000/kiln/org-b/hello:1@sha256:ab")).isTrue();
    assertThat(orgB.refusal("busybox:latest")).isEmpty();
    assertThat(orgB.refusal("127.0.0.1:5001/private/busybox:1")).isEmpty();
    assertThat(orgB.refusal("kilnish/tool:1")).isEmpty();
    // The template registry may also serve other images (here it is the Docker Hub mirror too).
    assertThat(orgB.refusal("127.0.0.1:5000/library/busybox:latest")).isEmpty();
    assertThat(orgB.isOwnTemplate("busybox:latest")).isFalse();
  }

  @Test
  void cacheKeys_areScopedByOrganization_unlessShared() {
    assertThat(orgB.cacheScope()).isNotEqualTo(new BaseImageAccess("org-a", null, null, false).cacheScope());
    assertThat(new BaseImageAccess("org-a", null, null, true).cacheScope())
        .isEqualTo(new BaseImageAccess("org-b", null, null, true).cacheScope());
  }
}
