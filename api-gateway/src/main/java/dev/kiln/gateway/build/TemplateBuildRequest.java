package dev.kiln.gateway.build;

import dev.kiln.schema.ReadyCheck;
import dev.kiln.schema.Resources;
import dev.kiln.schema.Step;
import dev.kiln.secrets.RegistryCredentials;
import java.util.List;

/** A validated {@code POST /v1/templates/build} body, steps already in their one normalized form. */
public record TemplateBuildRequest(
    String name,
    String fromImage,
    Resources resources,
    List<Step> steps,
    String startCmd,
    ReadyCheck readyCmd,
    boolean skipCache,
    boolean update,
    String agentVersion,
    RegistryCredentials credentials) {}
