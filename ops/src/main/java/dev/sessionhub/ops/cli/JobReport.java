package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How a job view reads on a terminal: one row per target (ADDRESS STATE TIME RESULT, the result being the first
 * line of the output or of the error) and a summary line such as
 * {@code 22 sessions: 19 ok, 1 error, 1 timeout, 1 unreachable (job ID)}. Targets without a result yet read
 * {@code pending}.
 */
final class JobReport {

  static final String[] STATES = {"ok", "error", "timeout", "unreachable", "unknown", "cancelled", "skipped",
      "pending"};

  private JobReport() {
  }

  /** Prints the table and summary; returns the exit code (1 unless every target ended ok). */
  static int print(JsonObject view, PrintStream out) {
    Map<String, JsonObject> byAddress = new LinkedHashMap<>();
    JsonArray results = view.getJsonArray("results", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      byAddress.put(results.getJsonObject(i).getString("address"), results.getJsonObject(i));
    }
    List<String> targets = new ArrayList<>();
    JsonArray declared = view.getJsonArray("targets");
    if (declared != null) {
      declared.forEach(t -> targets.add(String.valueOf(t)));
    }
    byAddress.keySet().stream().filter(a -> !targets.contains(a)).forEach(targets::add);

    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"ADDRESS", "STATE", "TIME", "RESULT"});
    for (String address : targets) {
      JsonObject r = byAddress.get(address);
      if (r == null) {
        rows.add(new String[] {address, "pending", "", ""});
      } else {
        String state = r.getString("state", "?");
        String text = "ok".equals(state) ? r.getString("output", "") : r.getString("message", "");
        rows.add(new String[] {address, state, duration(r.getLong("duration_ms", 0L)), firstLine(text)});
      }
    }
    int[] widths = new int[3];
    for (String[] row : rows) {
      for (int i = 0; i < widths.length; i++) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    for (String[] row : rows) {
      StringBuilder line = new StringBuilder();
      for (int i = 0; i < widths.length; i++) {
        line.append(row[i]).append(" ".repeat(widths[i] - row[i].length() + 2));
      }
      out.println(line.append(row[3]).toString().stripTrailing());
    }
    out.println(summary(view));
    return allOk(view) ? 0 : 1;
  }

  /** {@code 3 sessions: 2 ok, 1 timeout (job ID)}: ok always, the other states when not zero. */
  static String summary(JsonObject view) {
    int total = view.getInteger("target_count", 0);
    return total + (total == 1 ? " session: " : " sessions: ") + counts(view) + " (job " + view.getString("id")
        + ")";
  }

  /** {@code 2 ok, 1 timeout}: ok always, the other states when not zero. */
  static String counts(JsonObject view) {
    JsonObject counts = view.getJsonObject("counts", new JsonObject());
    StringBuilder s = new StringBuilder(counts.getInteger("ok", 0) + " ok");
    for (String state : STATES) {
      int n = counts.getInteger(state, 0);
      if (!state.equals("ok") && n > 0) {
        s.append(", ").append(n).append(' ').append(state);
      }
    }
    int late = counts.getInteger("finished_after_cancel", 0);
    if (late > 0) {
      s.append(" (").append(late).append(" finished after the cancel: their sessions could not stop them)");
    }
    return s.toString();
  }

  /** Whether the job is done and every target ended ok. */
  static boolean allOk(JsonObject view) {
    JsonObject counts = view.getJsonObject("counts", new JsonObject());
    return "done".equals(view.getString("state"))
        && counts.getInteger("ok", 0).equals(view.getInteger("target_count", 0));
  }

  static String firstLine(String text) {
    String t = text == null ? "" : text.strip();
    int nl = t.indexOf('\n');
    return (nl < 0 ? t : t.substring(0, nl)).strip();
  }

  static String duration(long ms) {
    return ms < 1000 ? ms + "ms" : String.format(java.util.Locale.ROOT, "%.1fs", ms / 1000.0);
  }
}
