package dev.kiln.gateway.projection;

/** A build's log as the API serves it: pages by line offset, and whether everything has been served. */
public final class BuildLogs {
  private final LogIndex index;
  private final LogReader reader;

  public BuildLogs(LogIndex index, LogReader reader) {
    this.index = index;
    this.reader = reader;
  }

  public LogPage page(String buildId, long offset, int limit) {
    return reader.read(buildId, offset, limit);
  }

  /** Complete once the build is terminal and every chunk its final attempt wrote has been indexed and served. */
  public boolean complete(BuildView build, long nextOffset) {
    if (!build.terminal() || nextOffset < index.lineCount(build.buildId())) {
      return false;
    }
    return build.logChunks() == null || index.chunkCount(build.buildId(), build.attempt()) >= build.logChunks();
  }
}
