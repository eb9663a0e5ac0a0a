package dev.sessionhub.ops.cli;

import java.nio.charset.StandardCharsets;

/** Builds REST paths from user input (session addresses, job ids) without letting it change the path. */
final class ApiPaths {

  private ApiPaths() {
  }

  /** {@code s} as one path segment: unreserved characters and ':' kept, everything else percent-encoded. */
  static String segment(String s) {
    StringBuilder out = new StringBuilder();
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (c < 0x80 && (Character.isLetterOrDigit(c) || "-._~:".indexOf(c) >= 0)) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  /** The timeout as the JSON number of seconds the hub expects. */
  static double seconds(java.time.Duration d) {
    return d.toMillis() / 1000.0;
  }
}
