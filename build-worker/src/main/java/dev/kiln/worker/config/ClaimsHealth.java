package dev.kiln.worker.config;

import dev.kiln.worker.messaging.TerminalBuilds;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Ready only once the worker's slots may claim: its view of ended builds holds every end written before it started.
 * An engine that stops answering does not make the worker unready: it is alive, advertises no free slot meanwhile,
 * and claims again when the engine answers.
 */
@Component("claims")
public class ClaimsHealth implements HealthIndicator {
  private final TerminalBuilds terminalBuilds;

  public ClaimsHealth(TerminalBuilds terminalBuilds) {
    this.terminalBuilds = terminalBuilds;
  }

  @Override
  public Health health() {
    boolean caughtUp = terminalBuilds.caughtUp();
    return (caughtUp ? Health.up() : Health.outOfService()).withDetail("endedBuildsCaughtUp", caughtUp).build();
  }
}
