package dev.kiln.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SafeTarReaderTest {
  private static final ArchiveLimits SMALL = new ArchiveLimits(1 << 20, 1 << 20, 5, 200, 64 * 1024);

  private static List<String> read(byte[] archive, ArchiveLimits limits) throws Exception {
    List<String> seen = new ArrayList<>();
    new SafeTarReader(limits).read(new ByteArrayInputStream(archive),
        (entry, content) -> seen.add(entry.kind() + " " + entry.path() + (entry.linkTarget() == null ? "" : " -> " + entry.linkTarget())));
    return seen;
  }

  @Test
  void read_benignArchive_yieldsNormalizedEntries() throws Exception {
    byte[] archive = new TestArchives().directory("app").file("app/main.py", "print(1)")
        .file("./app/lib/util.py", "x = 1").symlink("app/current", "lib/util.py").symlink("app/lib/up", "../main.py")
        .hardlink("app/copy.py", "app/main.py").gzip();

    assertThat(read(archive, ArchiveLimits.DEFAULT)).containsExactly("DIRECTORY app", "FILE app/main.py",
        "FILE app/lib/util.py", "SYMLINK app/current -> lib/util.py", "SYMLINK app/lib/up -> ../main.py",
        "HARDLINK app/copy.py -> app/main.py");
  }

  static Stream<Arguments> hostile() {
    return Stream.of(
        Arguments.of("absolute path", (Supplier<byte[]>) () -> new TestArchives().rawFile("/etc/passwd", "x").gzip(), "absolute paths are not allowed"),
        Arguments.of("dot-dot", (Supplier<byte[]>) () -> new TestArchives().file("app/../../etc/cron.d/x", "x").gzip(), "'..' is not allowed"),
        Arguments.of("absolute symlink", (Supplier<byte[]>) () -> new TestArchives().symlink("app/link", "/etc/shadow").gzip(), "points out of the archive"),
        Arguments.of("escaping symlink", (Supplier<byte[]>) () -> new TestArchives().symlink("app/link", "../../etc").gzip(), "points out of the archive"),
        Arguments.of("escaping hardlink", (Supplier<byte[]>) () -> new TestArchives().hardlink("app/h", "../etc/passwd").gzip(), "'..' is not allowed"),
        Arguments.of("device", (Supplier<byte[]>) () -> new TestArchives().charDevice("dev/null").gzip(), "device files"),
        Arguments.of("too many entries", (Supplier<byte[]>) () -> {
          TestArchives many = new TestArchives();
          for (int i = 0; i < 6; i++) {
            many.file("f" + i, "x");
          }
          return many.gzip();
        }, "more than 5 entries"),
        Arguments.of("too big unpacked", (Supplier<byte[]>) () -> new TestArchives().file("big", new byte[(1 << 20) + 1], 0644).gzip(), "unpacks to more than"),
        Arguments.of("ratio bomb", (Supplier<byte[]>) () -> new TestArchives().file("zeros", new byte[512 * 1024], 0644).gzip(), "expands more than 200 times"),
        Arguments.of("sparse file", (Supplier<byte[]>) TestArchives::sparse64MiB, "sparse files are not allowed"),
        Arguments.of("not gzip", (Supplier<byte[]>) () -> "plain text".getBytes(), "not a gzip archive"),
        Arguments.of("empty", (Supplier<byte[]>) () -> new TestArchives().gzip(), "no entries"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostile")
  void read_hostileArchive_isRefusedWithReason(String name, Supplier<byte[]> archive, String reason) {
    assertThatThrownBy(() -> read(archive.get(), SMALL))
        .isInstanceOf(UnsafeArchiveException.class).hasMessageContaining(reason);
  }
}
