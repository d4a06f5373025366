package dev.kiln.worker.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.WaitResponse;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Follows {@code POST /containers/{id}/wait} and can be asked again and again whether the container has exited.
 * docker-java's own callback closes its stream when a timed wait runs out, so it cannot be polled.
 */
final class ExitWatch extends ResultCallback.Adapter<WaitResponse> {
  private final CountDownLatch ended = new CountDownLatch(1);
  private volatile Integer statusCode;
  private volatile Throwable failure;

  @Override
  public void onNext(WaitResponse response) {
    statusCode = response.getStatusCode();
  }

  @Override
  public void onError(Throwable throwable) {
    failure = throwable;
    ended.countDown();
    super.onError(throwable);
  }

  @Override
  public void onComplete() {
    ended.countDown();
    super.onComplete();
  }

  /** Whether the wait has ended within {@code millis}; the stream stays open either way. */
  boolean ended(long millis) throws InterruptedException {
    return ended.await(millis, TimeUnit.MILLISECONDS);
  }

  /** The container's exit code, once {@link #ended} said so. */
  int exitCode() {
    if (statusCode == null) {
      throw new DockerClientException("the engine ended the wait for the container without an exit code", failure);
    }
    return statusCode;
  }
}
