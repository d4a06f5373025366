package dev.kiln.gateway.config;

import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.streams.KafkaStreams;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Ready once the template ledger first ran with its tasks assigned: before that a create or update would wait for
 * its reply and answer 503. Later rebalances (another gateway joining) do not make the gateway unready.
 */
public final class LedgerHealth implements HealthIndicator, KafkaStreams.StateListener {
  private final AtomicBoolean running = new AtomicBoolean();
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

  @Override
  public void onChange(KafkaStreams.State newState, KafkaStreams.State oldState) {
    state = newState;
    if (newState == KafkaStreams.State.RUNNING) {
      running.set(true);
    }
  }

  @Override
  public Health health() {
    boolean up = running.get() && state.isRunningOrRebalancing();
    return (up ? Health.up() : Health.outOfService()).withDetail("state", state.name()).build();
  }
}
