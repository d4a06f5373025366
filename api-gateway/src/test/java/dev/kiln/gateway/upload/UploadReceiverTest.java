package dev.kiln.gateway.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.archive.ArchiveLimits;
import dev.kiln.archive.BlobInfo;
import dev.kiln.archive.BlobStore;
import dev.kiln.archive.BlobStoreUnavailableException;
import dev.kiln.archive.TestArchives;
import dev.kiln.gateway.refusal.Unavailable;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A store that cannot create blobs is the gateway's fault: a 503 refusal, never a 500, and no spool left. */
class UploadReceiverTest {
  @TempDir
  Path spool;

  /** A blob store on a filesystem that refuses the hard-link claim. */
  private static final class UnclaimableStore implements BlobStore {
    @Override
    public Optional<BlobInfo> info(String organizationId, String filesHash) {
      return Optional.empty();
    }

    @Override
    public BlobInfo put(String organizationId, String filesHash, Path verifiedArchive, BlobInfo info)
        throws BlobStoreUnavailableException {
      throw new BlobStoreUnavailableException("no hard links", new UnsupportedOperationException());
    }

    @Override
    public InputStream open(String organizationId, String filesHash) {
      throw new UnsupportedOperationException();
    }
  }

  @Test
  void receive_storeWithoutHardLinks_isUnavailable() throws Exception {
    byte[] archive = new TestArchives().file("a.txt", "a").gzip();
    UploadReceiver receiver = new UploadReceiver(new UnclaimableStore(), ArchiveLimits.DEFAULT, spool, Clock.systemUTC());

    assertThatThrownBy(() -> receiver.receive("org", "ab".repeat(32), archive.length, new ByteArrayInputStream(archive)))
        .isInstanceOf(Unavailable.class).hasMessageContaining("cannot be stored");
    try (Stream<Path> left = Files.list(spool)) {
      assertThat(left).isEmpty();
    }
  }
}
