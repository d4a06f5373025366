package dev.kiln.system;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A service's live heap: the bytes of its live objects, from a class histogram (which collects first), asked with
 * the JDK's jcmd. Not {@code GC.heap_info}'s "used": that also counts the young regions the service filled again
 * between the collection and the question.
 */
final class LiveHeap {
  private static final Pattern TOTAL = Pattern.compile("(?m)^Total\\s+\\d+\\s+(\\d+)");

  private LiveHeap() {}

  /** The live heap of the JVM {@code pid}, in MB. */
  static long megabytes(long pid) throws IOException, InterruptedException {
    Matcher total = TOTAL.matcher(jcmd(pid, "GC.class_histogram"));
    if (!total.find()) {
      throw new IllegalStateException("jcmd GC.class_histogram gave no total");
    }
    return Long.parseLong(total.group(1)) / (1024 * 1024);
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process process = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.waitFor() != 0) {
      throw new IllegalStateException("jcmd " + command + " failed: " + output);
    }
    return output;
  }
}
