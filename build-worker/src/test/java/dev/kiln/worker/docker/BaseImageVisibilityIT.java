package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.secrets.RegistryCredentials;
import dev.kiln.worker.engine.RecordingListener;
import dev.kiln.worker.engine.plan.BaseImageAccess;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.sweep.BuildContainerName;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Two organizations on one node: what one may build from is not widened by what the other pulled or built. */
class BaseImageVisibilityIT extends RealDockerEngine {
  static final String PRIVATE_IMAGE = "127.0.0.1:5001/private/busybox:1";
  static final RegistryCredentials CREDENTIALS = new RegistryCredentials("basic",
      env("KILN_TEST_REGISTRY_USER", "kiln-ci"), env("KILN_TEST_REGISTRY_PASSWORD", "kiln-private-registry-fixture-pw"));

  private static String env(String name, String fallback) {
    String value = System.getenv(name);
    return value == null || value.isBlank() ? fallback : value;
  }

  private static BuildOutcome build(String organization, String base, RegistryCredentials credentials)
      throws InterruptedException {
    String tag = UUID.randomUUID().toString();
    BuildPlan plan = new BuildPlan(base, DockerImageEngineIT.LIMITS, List.of(new RunStep("true")),
        "kiln/" + organization + "/visibility", tag, null, credentials, 1, null,
        new BaseImageAccess(organization, null, null, false));
    return new BuildRunner().run(plan, engine(new BuildContainerName("b-vis-" + tag, 1,
        "w-it", 1)), DockerImageEngineIT.NO_FILES, new RecordingListener());
  }

  @Test
  void privateBaseImage_pulledByOneOrganization_isNotUsableByAnotherWithoutCredentials() throws Exception {
    // Before: organization A's anonymous build went active on organization B's copy (the tag is not "latest").
    BuildOutcome withCredentials = build("org-b", PRIVATE_IMAGE, CREDENTIALS);
    assertThat(withCredentials.succeeded()).as(withCredentials.errorMessage()).isTrue();

    BuildOutcome anonymous = build("org-a", PRIVATE_IMAGE, null);

    assertThat(anonymous.errorMessage()).startsWith("image_pull_failed: ");
  }

  @Test
  void anotherOrganizationsTemplate_isRefused_ownIsUsable() throws Exception {
    BuildOutcome made = build("org-b", "busybox:latest", null);
    assertThat(made.succeeded()).as(made.errorMessage()).isTrue();

    BuildOutcome other = build("org-a", made.imageRef(), null);
    BuildOutcome own = build("org-b", made.imageRef(), null);

    assertThat(other.errorMessage()).startsWith("image_pull_failed: " + made.imageRef() + " is not an image");
    assertThat(own.succeeded()).as(own.errorMessage()).isTrue();
  }
}
