package dev.kiln.worker.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.PushResponseItem;
import dev.kiln.worker.engine.FailureReason;
import dev.kiln.worker.engine.step.EngineException;
import java.util.concurrent.TimeUnit;

/**
 * One push through docker-java. The engine answers 200 and reports failures as items of the progress stream, so
 * every item is checked; the pushed manifest's digest arrives as an aux item.
 */
final class ImagePush extends ResultCallback.Adapter<PushResponseItem> {
  private static final long TIMEOUT_MINUTES = 10;
  private volatile String error;
  private volatile String digest;

  /** Pushes {@code repository:tag}; returns the manifest digest. */
  static String push(DockerConnection docker, String repository, String tag)
      throws EngineException, InterruptedException {
    ImagePush push = docker.client().pushImageCmd(repository).withTag(tag).exec(new ImagePush());
    if (!push.awaitCompletion(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
      throw new EngineException(FailureReason.IMAGE_PUSH_FAILED, "push of " + repository + ":" + tag + " did not finish in "
          + TIMEOUT_MINUTES + " min", null);
    }
    if (push.error != null || push.digest == null) {
      throw new EngineException(FailureReason.IMAGE_PUSH_FAILED, "could not push " + repository + ":" + tag + ": "
          + (push.error != null ? push.error : "the registry reported no digest"), null);
    }
    return push.digest;
  }

  @Override
  public void onNext(PushResponseItem item) {
    if (item.isErrorIndicated()) {
      error = item.getErrorDetail() != null ? item.getErrorDetail().getMessage() : item.getError();
    } else if (item.getAux() != null && item.getAux().getDigest() != null) {
      digest = item.getAux().getDigest();
    }
  }
}
