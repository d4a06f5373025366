package dev.kiln.worker.docker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.engine.RecordingListener;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.sweep.BuildContainerName;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The node's layer cache on a real engine: a rebuild takes every layer from it and yields the same image. */
class DockerLayerCacheIT extends RealDockerEngine {
  @Test
  void rebuild_takesEveryStepFromTheCache_andYieldsTheSameImage() throws Exception {
    // A unique first step, so that no earlier run of this test can have cached it.
    String unique = UUID.randomUUID().toString();
    BuildPlan plan = new BuildPlan(DockerImageEngineIT.BASE, DockerImageEngineIT.LIMITS, List.of(
        new RunStep("echo " + unique + " > /id.txt"), new EnvStep(List.of("A=1")), new RunStep("echo two >> /id.txt")),
        "kiln/it/cached", unique, null, null, 3);
    DockerLayerCache cache = new DockerLayerCache(docker);
    RecordingListener first = new RecordingListener();
    RecordingListener second = new RecordingListener();

    BuildOutcome built = new BuildRunner().run(plan, engine(unique + "-1"), cache, DockerImageEngineIT.NO_FILES, first);
    long start = System.nanoTime();
    BuildOutcome rebuilt = new BuildRunner().run(plan, engine(unique + "-2"), cache, DockerImageEngineIT.NO_FILES,
        second);
    long rebuildMillis = (System.nanoTime() - start) / 1_000_000;

    assertThat(built.succeeded()).as(built.errorMessage()).isTrue();
    assertThat(first.lines).filteredOn(line -> line.startsWith("step ")).noneMatch(line -> line.endsWith("CACHED"));
    assertThat(rebuilt.imageId()).isEqualTo(built.imageId());
    assertThat(second.lines).filteredOn(line -> line.startsWith("step ")).hasSize(3)
        .allMatch(line -> line.endsWith(" CACHED"));
    System.out.println("fully cached rebuild in the runner: " + rebuildMillis + " ms");
  }

  private static DockerImageEngine engine(String buildId) {
    return engine(new BuildContainerName(buildId, 1, "w-it", 1));
  }
}
