package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Many sessions' output as it comes, one complete line at a time, each prefixed with its session's address
 * ({@code host:port: line}), for {@code broadcast --follow}. A target's unfinished last line waits for its newline
 * or for the target's result; a target without live output shows its whole output at its result; after a gap
 * (skipped or dropped characters) only what the stream shows is printed.
 */
final class PrefixedLines implements LiveOutput {

  private final PrintStream out;
  private final Map<String, StringBuilder> shown = new HashMap<>();
  private final Map<String, StringBuilder> partial = new HashMap<>();
  private final Set<String> gaps = new HashSet<>();

  PrefixedLines(PrintStream out) {
    this.out = out;
  }

  @Override
  public void output(String address, String text, long skipped) {
    if (skipped > 0) {
      gaps.add(address);
      lines(address, "[" + skipped + " characters of output were not kept]\n");
    }
    shown.computeIfAbsent(address, a -> new StringBuilder()).append(text);
    lines(address, text);
  }

  @Override
  public void ended(JsonObject result) {
    String address = result.getString("address", "?");
    String output = result.getString("output");
    StringBuilder so = shown.getOrDefault(address, new StringBuilder());
    if (output != null && !gaps.contains(address) && output.startsWith(so.toString())) {
      lines(address, output.substring(so.length()));
    }
    StringBuilder rest = partial.remove(address);
    if (rest != null && rest.length() > 0) {
      print(address, rest);
    }
    shown.remove(address);
    gaps.remove(address);
    out.flush();
  }

  private void lines(String address, String text) {
    StringBuilder line = partial.computeIfAbsent(address, a -> new StringBuilder());
    int from = 0;
    for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', from)) {
      line.append(text, from, nl);
      print(address, line);
      line.setLength(0);
      from = nl + 1;
    }
    line.append(text, from, text.length());
    out.flush();
  }

  private void print(String address, CharSequence line) {
    int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
    out.println(address + ": " + line.subSequence(0, end));
  }
}
