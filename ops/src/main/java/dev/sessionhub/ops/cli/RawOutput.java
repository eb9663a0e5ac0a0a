package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * One session's output exactly as it printed it, for {@code sessionhub send}: each live piece is written and
 * flushed as it comes (so {@code send ... | tee log} streams too), and at the end whatever part of the final
 * output the pieces did not show. An agent without live output gives it all at the end; if the pieces shown are
 * not the start of the final output (the hub or the agent dropped some), nothing more is printed.
 */
final class RawOutput implements LiveOutput {

  private final PrintStream out;
  private final PrintStream notes;
  private final StringBuilder shown = new StringBuilder();
  private boolean gap;

  /** {@code out}: the output; {@code notes}: where to say that characters were skipped (stderr). */
  RawOutput(PrintStream out, PrintStream notes) {
    this.out = out;
    this.notes = notes;
  }

  @Override
  public void output(String address, String text, long skipped) {
    if (skipped > 0) {
      gap = true;
      notes.println("sessionhub: " + address + ": " + skipped + " characters of output were not kept");
      notes.flush();
    }
    shown.append(text);
    write(text);
  }

  @Override
  public void ended(JsonObject result) {
    if (!"ok".equals(result.getString("state"))) {
      return;
    }
    String output = result.getString("output", "");
    if (!gap && output.startsWith(shown.toString())) {
      write(output.substring(shown.length()));
    }
  }

  private void write(String text) {
    if (text.isEmpty()) {
      return;
    }
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    out.write(bytes, 0, bytes.length);
    out.flush();
  }
}
