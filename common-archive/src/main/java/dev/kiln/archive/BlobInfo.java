package dev.kiln.archive;

import java.time.Instant;

/** What Kiln knows of a stored upload: the client's hash (its name), the real sha256 of its bytes, its size. */
public record BlobInfo(String clientHash, String sha256, long size, Instant storedAt) {}
