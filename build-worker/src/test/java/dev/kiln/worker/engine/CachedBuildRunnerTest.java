package dev.kiln.worker.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.engine.BuildRunnerTest.ScriptedEngine;
import dev.kiln.worker.engine.cache.LayerCache;
import dev.kiln.worker.engine.plan.BuildPlan;
import dev.kiln.worker.engine.runner.BuildOutcome;
import dev.kiln.worker.engine.runner.BuildRunner;
import dev.kiln.worker.engine.step.BuildStep;
import dev.kiln.worker.engine.step.CopyStep;
import dev.kiln.worker.engine.step.EnvStep;
import dev.kiln.worker.engine.step.FileSource;
import dev.kiln.worker.engine.step.RunStep;
import dev.kiln.worker.engine.step.StepLimits;
import dev.kiln.worker.engine.step.WorkdirStep;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The runner with a layer cache: what hits, what misses from where, and what the logs say. */
class CachedBuildRunnerTest {
  static final StepLimits SMALL = new StepLimits(1, 512L << 20, Duration.ofMinutes(1));
  static final StepLimits LARGE = new StepLimits(4, 4096L << 20, Duration.ofMinutes(9));
  static final List<BuildStep> STEPS = List.of(new RunStep("a"), new EnvStep(List.of("K=V")), new RunStep("b"),
      new WorkdirStep("/srv"), new RunStep("c"));
  final MapCache cache = new MapCache();

  /** An in-memory cache that records what was kept. */
  static final class MapCache implements LayerCache {
    final Map<String, String> entries = new LinkedHashMap<>();

    @Override
    public Optional<String> find(String key) {
      return Optional.ofNullable(entries.get(key));
    }

    @Override
    public void remember(String key, String image) {
      entries.put(key, image);
    }
  }

  static BuildPlan plan(List<BuildStep> steps, int cacheableSteps) {
    return new BuildPlan("debian", SMALL, steps, "kiln/o/t", "b1", null, null, cacheableSteps);
  }

  BuildOutcome run(BuildPlan plan, ScriptedEngine engine, RecordingListener listener) throws Exception {
    return new BuildRunner().run(plan, engine, cache, NO_FILES, listener);
  }

  static final FileSource NO_FILES = hash -> {
    throw new java.io.FileNotFoundException(hash);
  };

  @Test
  void rebuild_isFullyCached_sameImage_noContainer_everyStepSaysCached() throws Exception {
    BuildOutcome first = run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    ScriptedEngine again = new ScriptedEngine();
    RecordingListener logs = new RecordingListener();

    BuildOutcome second = run(plan(STEPS, 5), again, logs);

    assertThat(second.imageId()).isEqualTo(first.imageId());
    assertThat(again.calls).containsExactly("tag final kiln/o/t:b1");
    assertThat(logs.lines.stream().filter(line -> line.startsWith("step "))).hasSize(5)
        .allSatisfy(line -> assertThat(line).endsWith(" CACHED"));
    assertThat(cache.entries).hasSize(6); // one per step, and the final image
  }

  @Test
  void changedStep_missesFromThere_earlierStepsHit() throws Exception {
    run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    List<BuildStep> changed = new ArrayList<>(STEPS);
    changed.set(1, new EnvStep(List.of("K=W")));
    ScriptedEngine engine = new ScriptedEngine();
    RecordingListener logs = new RecordingListener();

    run(plan(changed, 5), engine, logs);

    assertThat(logs.lines).contains("step 1/5 RUN a CACHED", "step 2/5 ENV K=W", "step 3/5 RUN b");
    assertThat(engine.calls).first().asString().startsWith("run img-1 b");
  }

  @Test
  void skipCacheOnTheBuild_buildsEverything_andRefreshesTheCache() throws Exception {
    run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    ScriptedEngine engine = new ScriptedEngine();

    run(plan(STEPS, 0), engine, new RecordingListener());

    assertThat(engine.calls).filteredOn(call -> call.startsWith("run ")).hasSize(3);
    assertThat(cache.entries).containsValue("final").hasSize(6);
  }

  @Test
  void skipCacheOnAStep_buildsFromThatStepOn() throws Exception {
    run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    ScriptedEngine engine = new ScriptedEngine();
    RecordingListener logs = new RecordingListener();

    run(plan(STEPS, 2), engine, logs);

    assertThat(logs.lines).contains("step 1/5 RUN a CACHED", "step 2/5 ENV K=V CACHED", "step 3/5 RUN b");
    assertThat(engine.calls).filteredOn(call -> call.startsWith("run ")).hasSize(2);
  }

  @Test
  void limitsNamesAndTimes_areNotPartOfTheKeys() throws Exception {
    run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    ScriptedEngine engine = new ScriptedEngine();

    new BuildRunner().run(new BuildPlan("debian", LARGE, STEPS, "kiln/o/other-name", "b2", null, null, 5),
        engine, cache, NO_FILES, new RecordingListener());

    assertThat(engine.calls).containsExactly("tag final kiln/o/other-name:b2");
  }

  @Test
  void anotherOrganization_doesNotHitThisOnesCache_unlessTheCacheIsShared() throws Exception {
    // Before: one cache for all, so a CACHED line told a tenant what another had built.
    run(plan(STEPS, 5), new ScriptedEngine(), new RecordingListener());
    ScriptedEngine isolated = new ScriptedEngine();
    ScriptedEngine shared = new ScriptedEngine();

    new BuildRunner().run(new BuildPlan("debian", SMALL, STEPS, "kiln/other-org/t", "b2", null, null, 5),
        isolated, cache, NO_FILES, new RecordingListener());
    new BuildRunner().run(shared(plan(STEPS, 5), "o"), new ScriptedEngine(), cache, NO_FILES, new RecordingListener());
    new BuildRunner().run(shared(new BuildPlan("debian", SMALL, STEPS, "kiln/other-org/t", "b3", null, null, 5),
        "other-org"), shared, cache, NO_FILES, new RecordingListener());

    assertThat(isolated.calls).filteredOn(call -> call.startsWith("run ")).isNotEmpty();
    assertThat(shared.calls).containsExactly("tag final kiln/other-org/t:b3");
  }

  private static BuildPlan shared(BuildPlan plan, String organization) {
    return new BuildPlan(plan.baseImage(), plan.limits(), plan.steps(), plan.targetRepository(), plan.targetTag(),
        plan.startCheck(), plan.baseCredentials(), plan.cacheableSteps(), plan.publishRegistry(),
        new dev.kiln.worker.engine.plan.BaseImageAccess(organization, null, null, true));
  }

  @Test
  void copy_isKeyedByTheContentOfItsFiles_notByTheirName() throws Exception {
    List<BuildStep> copy = List.of(new CopyStep(List.of("app"), "/srv", "client-hash", null, null));
    FileSource one = hash -> new ByteArrayInputStream("one".getBytes(StandardCharsets.UTF_8));
    FileSource two = hash -> new ByteArrayInputStream("two".getBytes(StandardCharsets.UTF_8));

    String keyOne = new CopyStep(List.of("app"), "/srv", "client-hash", null, null).cacheInput(one);
    String keyTwo = new CopyStep(List.of("app"), "/srv", "client-hash", null, null).cacheInput(two);

    assertThat(keyOne).isNotEqualTo(keyTwo)
        .endsWith("sha256=7692c3ad3540bb803c020b3aee66cd8887123234ea0c6e7143c0add73ff431ed");
    assertThat(copy.get(0).cacheInput(one)).isEqualTo(keyOne);
  }
}
