package dev.kiln.gateway.messaging;

import dev.kiln.schema.BuildCancelRequested;
import dev.kiln.schema.BuildRequested;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the gateway answered 503 for although their request may have reached Kafka (the ledger's reply timed out):
 * each is cancelled, retrying until Kafka takes the cancel, so that a build nobody was told about is never built.
 */
public final class AbandonedBuilds implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AbandonedBuilds.class);
  private final BlockingDeque<BuildCancelRequested> pending = new LinkedBlockingDeque<>();
  private final CancelPublisher cancels;
  private final Duration retryDelay;
  private final Clock clock;
  private final Thread sender;

  public AbandonedBuilds(CancelPublisher cancels, Duration retryDelay, Clock clock) {
    this.cancels = cancels;
    this.retryDelay = retryDelay;
    this.clock = clock;
    this.sender = new Thread(this::sendAll, "abandoned-build-cancels");
    sender.setDaemon(true);
  }

  public AbandonedBuilds start() {
    sender.start();
    return this;
  }

  /** Queues a cancel of {@code build}; it is sent as soon as Kafka answers again. */
  public void abandon(BuildRequested build) {
    log.warn("build {} (request {}) may have been queued although the client got a 503: cancelling it",
        build.getBuildId(), build.getRequestId());
    pending.add(BuildCancelRequested.newBuilder().setBuildId(build.getBuildId())
        .setOrganizationId(build.getOrganizationId()).setRequestId(build.getRequestId())
        .setRequestedAt(clock.instant()).build());
  }

  /** Cancels not yet in Kafka. */
  public int pendingCount() {
    return pending.size();
  }

  private void sendAll() {
    try {
      while (!Thread.currentThread().isInterrupted()) {
        BuildCancelRequested cancel = pending.takeFirst();
        try {
          while (!sent(cancel)) {
            Thread.sleep(retryDelay.toMillis());
          }
        } catch (InterruptedException stopping) {
          pending.addFirst(cancel);
          throw stopping;
        }
      }
    } catch (InterruptedException stopping) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean sent(BuildCancelRequested cancel) throws InterruptedException {
    try {
      // The producer retries on its own until its delivery timeout; a failure here means that ran out.
      cancels.cancel(cancel).get();
      log.info("cancelled abandoned build {}", cancel.getBuildId());
      return true;
    } catch (ExecutionException e) {
      log.debug("cancel of abandoned build {} not sent yet: {}", cancel.getBuildId(), e.toString());
      return false;
    }
  }

  /** Stops retrying; cancels still pending are logged, since they are lost with this process. */
  @Override
  public void close() throws InterruptedException {
    sender.interrupt();
    sender.join(5_000);
    pending.forEach(cancel -> log.error("gateway stopping with abandoned build {} not cancelled", cancel.getBuildId()));
  }
}
