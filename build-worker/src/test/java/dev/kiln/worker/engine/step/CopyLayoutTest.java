package dev.kiln.worker.engine.step;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Docker COPY semantics for where each uploaded path lands. */
class CopyLayoutTest {

  @ParameterizedTest(name = "COPY {0} {1}: {2} -> {4}")
  @CsvSource(delimiter = '|', value = {
      "app          | /srv/app     | app/main.py      | false | srv/app/main.py",
      "app          | /srv/app     | app              | true  | srv/app",
      "./app/       | /srv/app/    | app/lib/x.py     | false | srv/app/lib/x.py",
      "config.json  | /etc/app.json| config.json      | false | etc/app.json",
      "config.json  | /etc/app/    | config.json      | false | etc/app/config.json",
      "a.txt,b.txt  | /data        | b.txt            | false | data/b.txt",
      "src/a.txt    | /data        | src/a.txt        | false | data",
      "''           | /app         | anything/here.txt| false | app/anything/here.txt",
      "app          | /            | app/main.py      | false | main.py",
  })
  void target_followsDockerCopySemantics(String sources, String destination, String path, boolean directory,
      String expected) {
    List<String> sourceList = sources.isEmpty() ? List.of() : Arrays.asList(sources.split(","));
    CopyLayout layout = new CopyLayout(sourceList, destination, Ownership.ROOT, null, dev.kiln.archive.ArchiveLimits.DEFAULT);

    assertThat(layout.target(path, directory)).isEqualTo(expected);
  }
}
