package dev.kiln.gateway.ledger;

import dev.kiln.schema.BuildRequested;
import dev.kiln.schema.TemplateState;
import dev.kiln.schema.TemplateSummary;
import dev.kiln.template.RuntimeConfig;
import dev.kiln.template.RuntimeConfigFold;

/**
 * What a template's state keeps of its latest build request: from_image, resources, start_cmd and the runtime
 * config its steps fold into — never the steps, so a state's size does not grow with them.
 */
public final class TemplateSummaries {
  private TemplateSummaries() {}

  /** The request summarized; the agent version, ready check and sealed credentials are the worker's business. */
  public static TemplateSummary of(BuildRequested build) {
    RuntimeConfig runtime = RuntimeConfigFold.fold(build.getSteps());
    return TemplateSummary.newBuilder().setFromImage(build.getFromImage()).setResources(build.getResources())
        .setStartCmd(build.getStartCmd()).setEnv(runtime.envList()).setWorkdir(emptyToNull(runtime.workdir()))
        .setUser(emptyToNull(runtime.user())).setCmd(runtime.cmd()).build();
  }

  /** The state's summary; a state written before summaries existed has its whole request instead. */
  public static TemplateSummary of(TemplateState state) {
    return state.getSummary() != null ? state.getSummary() : of(state.getBuild());
  }

  /** The state in today's shape: a summary, no request. Old states leave the ledger this way when next written. */
  static TemplateState current(TemplateState state) {
    if (state == null || state.getBuild() == null) {
      return state;
    }
    return TemplateState.newBuilder(state).setSummary(of(state)).setBuild(null).build();
  }

  private static String emptyToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
