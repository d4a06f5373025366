package dev.kiln.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** A blob is created once per key; a store that cannot claim says so instead of storing half a blob. */
class LocalDirectoryBlobStoreTest {
  private static final String HASH = "ab".repeat(32);

  @TempDir
  Path dir;

  private Path archive(String content) throws IOException {
    return Files.writeString(Files.createTempFile(dir, "spooled-", ".tar.gz"), content);
  }

  private static BlobInfo info(String sha256) {
    return new BlobInfo(HASH, sha256, 1, Instant.parse("2026-12-01T00:00:00Z"));
  }

  private static String read(BlobStore store) throws IOException {
    try (InputStream in = store.open("org", HASH)) {
      return new String(in.readAllBytes());
    }
  }

  @Test
  void put_secondPut_keepsTheFirstAndAnswersItsFacts() throws IOException {
    BlobStore store = new LocalDirectoryBlobStore(dir.resolve("blobs"));

    BlobInfo first = store.put("org", HASH, archive("a"), info("sha-a"));
    BlobInfo same = store.put("org", HASH, archive("a"), info("sha-a"));
    BlobInfo other = store.put("org", HASH, archive("b"), info("sha-b"));

    assertThat(first.sha256()).isEqualTo("sha-a");
    assertThat(same).isEqualTo(first);
    assertThat(other).isEqualTo(first);
    assertThat(read(store)).isEqualTo("a");
    assertThat(store.info("org", HASH)).contains(first);
  }

  @ParameterizedTest
  @MethodSource("failures")
  void put_filesystemWithoutHardLinks_failsClearlyAndStoresNothing(Exception failure) throws IOException {
    Path root = dir.resolve("blobs");
    BlobStore store = new LocalDirectoryBlobStore(root, (link, existing) -> {
      if (failure instanceof IOException io) {
        throw io;
      }
      throw (RuntimeException) failure;
    });

    assertThatThrownBy(() -> store.put("org", HASH, archive("a"), info("sha-a")))
        .isInstanceOf(BlobStoreUnavailableException.class).hasMessageContaining("hard link").hasCause(failure);
    assertThat(store.info("org", HASH)).isEmpty();
    try (Stream<Path> left = Files.list(root.resolve("org"))) {
      assertThat(left).as("no claim, metadata or temp file left").isEmpty();
    }
  }

  static List<Exception> failures() {
    return List.of(new UnsupportedOperationException("links not supported"),
        new FileSystemException("blobs/org/x.properties", null, "Operation not permitted"));
  }
}
