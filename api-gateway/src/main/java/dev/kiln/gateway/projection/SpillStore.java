package dev.kiln.gateway.projection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * Where the projections put what they no longer read often (builds that ended a while ago, their log indexes), so
 * that the heap holds the recent builds only, whatever the topics hold. A RocksDB database (the library Kafka
 * Streams already brings) in a directory of its own, emptied on close: the projections are rebuilt from the topics
 * on every start, so nothing here needs to outlive the process. Its native memory is bounded by a small block
 * cache and write buffer.
 */
public final class SpillStore implements AutoCloseable {
  private static final long CACHE_BYTES = 16L * 1024 * 1024;
  private static final long WRITE_BUFFER_BYTES = 8L * 1024 * 1024;
  private final Path directory;
  private final LRUCache cache;
  private final Options options;
  private final RocksDB db;
  private final Set<String> sections = ConcurrentHashMap.newKeySet();

  private SpillStore(Path directory) throws RocksDBException {
    RocksDB.loadLibrary();
    this.directory = directory;
    this.cache = new LRUCache(CACHE_BYTES);
    this.options = new Options().setCreateIfMissing(true).setWriteBufferSize(WRITE_BUFFER_BYTES)
        .setMaxWriteBufferNumber(2).setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache));
    this.db = RocksDB.open(options, directory.toString());
  }

  /** A new, empty store in a fresh directory under {@code parent}. */
  public static SpillStore openUnder(Path parent, String name) {
    try {
      Files.createDirectories(parent);
      return new SpillStore(Files.createTempDirectory(parent, "kiln-" + name + "-"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot open the projection's store under " + parent + ": " + e.getMessage(), e);
    }
  }

  /**
   * The part of the store for one kind of entry, under its own key prefix: two kinds keyed by the same ids (a
   * build's view and its log index) cannot overwrite each other. Each name is given out once.
   */
  public Section section(String name) {
    if (!sections.add(name)) {
      throw new IllegalStateException("spill store section " + name + " is taken");
    }
    return new Section(name + "/");
  }

  /** One kind of entry in the store. */
  public final class Section {
    private final String prefix;

    private Section(String prefix) {
      this.prefix = prefix;
    }

    public void put(String key, byte[] value) {
      SpillStore.this.put(prefix + key, value);
    }

    public Optional<byte[]> get(String key) {
      return SpillStore.this.get(prefix + key);
    }
  }

  private void put(String key, byte[] value) {
    try {
      db.put(bytes(key), value);
    } catch (RocksDBException e) {
      throw new IllegalStateException("projection store write failed: " + e.getMessage(), e);
    }
  }

  private Optional<byte[]> get(String key) {
    try {
      return Optional.ofNullable(db.get(bytes(key)));
    } catch (RocksDBException e) {
      throw new IllegalStateException("projection store read failed: " + e.getMessage(), e);
    }
  }

  private static byte[] bytes(String key) {
    return key.getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    db.close();
    options.close();
    cache.close();
    try (Stream<Path> files = Files.walk(directory)) {
      files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless; the next start makes a new one.
    }
  }
}
