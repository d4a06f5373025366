package dev.kiln.worker.engine.step;

/**
 * A readiness probe run inside the started container. Its shell scripts read {@code /proc} and use only POSIX
 * shell and grep, so they work on images without curl, ss or pgrep.
 */
public record ReadyProbe(String type, Integer port, String url, String path, String processName, String command) {

  /** "port 8000", "file /tmp/ready": how error messages name the probe. */
  public String describe() {
    return switch (type) {
      case "port" -> "port " + port;
      case "url" -> "url " + url;
      case "file" -> "file " + path;
      case "process" -> "process " + processName;
      default -> "command '" + command + "'";
    };
  }

  /** The {@code /bin/sh -c} script that exits 0 once the probe passes. */
  public String script() {
    return switch (type) {
      // /proc/net/tcp{,6}: local address ":<port in hex>" and state 0A (LISTEN).
      case "port" -> "grep -qiE ':" + String.format("%04X", port) + " [0-9A-F]+:[0-9A-F]{4} 0A' /proc/net/tcp /proc/net/tcp6 2>/dev/null";
      case "url" -> "u=" + quote(url) + "; if command -v curl >/dev/null; then curl -fsS -o /dev/null \"$u\"; "
          + "elif command -v wget >/dev/null; then wget -q -O /dev/null \"$u\"; "
          + "elif command -v python3 >/dev/null; then python3 -c 'import sys,urllib.request; urllib.request.urlopen(sys.argv[1], timeout=5)' \"$u\"; "
          + "else echo 'no curl, wget or python3 in the image for a url check' >&2; exit 2; fi";
      case "file" -> "test -e " + quote(path);
      // comm holds the process name; the probe's own processes are sh and grep.
      case "process" -> "grep -qxF " + quote(processName) + " /proc/[0-9]*/comm 2>/dev/null";
      default -> command;
    };
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
