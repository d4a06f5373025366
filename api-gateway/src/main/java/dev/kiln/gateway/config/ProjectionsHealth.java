package dev.kiln.gateway.config;

import dev.kiln.schema.kafka.TopicTailer;
import java.util.List;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/** Ready only once the projections have read everything that was in their topics at start-up. */
@Component("projections")
public class ProjectionsHealth implements HealthIndicator {
  private final List<TopicTailer> tailers;

  public ProjectionsHealth(List<TopicTailer> tailers) {
    this.tailers = tailers;
  }

  @Override
  public Health health() {
    boolean caughtUp = tailers.stream().allMatch(TopicTailer::caughtUp);
    return (caughtUp ? Health.up() : Health.outOfService()).withDetail("caughtUp", caughtUp).build();
  }
}
