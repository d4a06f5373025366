package dev.kiln.worker.docker;

/** An image reference split the way Docker's pull API wants it: repository, and a tag or a digest. */
record ImageReference(String repository, String tagOrDigest, boolean digest) {

  static ImageReference parse(String reference) {
    int at = reference.indexOf('@');
    if (at >= 0) {
      return new ImageReference(reference.substring(0, at), reference.substring(at + 1), true);
    }
    int slash = reference.lastIndexOf('/');
    int colon = reference.lastIndexOf(':');
    if (colon > slash) {
      return new ImageReference(reference.substring(0, colon), reference.substring(colon + 1), false);
    }
    // Without a tag Docker would pull every tag of the repository.
    return new ImageReference(reference, "latest", false);
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
