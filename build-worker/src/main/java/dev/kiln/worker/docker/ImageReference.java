package dev.kiln.worker.docker;

import dev.kiln.template.ImageReferences;

/** An image reference split the way Docker's pull API wants it: repository, and a tag or a digest. */
record ImageReference(String repository, String tagOrDigest, boolean digest) {

  static ImageReference parse(String reference) {
    String repository = ImageReferences.repository(reference);
    int at = reference.indexOf('@');
    if (at >= 0) {
      return new ImageReference(repository, reference.substring(at + 1), true);
    }
    // Without a tag Docker would pull every tag of the repository.
    return new ImageReference(repository, repository.length() < reference.length()
        ? reference.substring(repository.length() + 1) : "latest", false);
  }

  /** The registry host, as Docker decides it: a first component with '.' or ':' or "localhost", else Docker Hub. */
  String registry() {
    int slash = repository.indexOf('/');
    String first = slash < 0 ? "" : repository.substring(0, slash);
    return first.contains(".") || first.contains(":") || first.equals("localhost") ? first
        : "https://index.docker.io/v1/";
  }

  @Override
  public String toString() {
    return repository + (digest ? "@" : ":") + tagOrDigest;
  }
}
