package dev.kiln.worker.docker;

import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.kiln.worker.engine.step.LogSink;
import java.util.Arrays;

/** Follows a container's output and passes it on as lines, stdout and stderr kept apart. */
final class ContainerOutput extends ResultCallback.Adapter<Frame> {
  private final LineAssembler stdout;
  private final LineAssembler stderr;

  ContainerOutput(LogSink sink) {
    // Both streams feed one sink; synchronizing keeps their lines whole and in arrival order.
    LogSink ordered = (text, error) -> {
      synchronized (this) {
        sink.line(text, error);
      }
    };
    this.stdout = new LineAssembler(ordered, false);
    this.stderr = new LineAssembler(ordered, true);
  }

  @Override
  public void onNext(Frame frame) {
    byte[] copy = Arrays.copyOf(frame.getPayload(), frame.getPayload().length);
    (frame.getStreamType() == StreamType.STDERR ? stderr : stdout).accept(copy);
  }

  @Override
  public void onComplete() {
    stdout.finish();
    stderr.finish();
    super.onComplete();
  }
}
