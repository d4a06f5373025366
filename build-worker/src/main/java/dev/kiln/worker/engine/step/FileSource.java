package dev.kiln.worker.engine.step;

import java.io.IOException;
import java.io.InputStream;

/** Where COPY steps find the files the organization uploaded, by files hash (a gzip tarball). */
@FunctionalInterface
public interface FileSource {
  InputStream open(String filesHash) throws IOException;
}
