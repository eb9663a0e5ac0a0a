package dev.sessionhub.ops.farm;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One broadcast the soak started: its token (which the code writes into each session's execution log), the hub
 * it went through, when it was asked for and when it was seen done, and the view first read done (the reference
 * every later read through any hub must equal).
 */
final class SoakJob {

  final int number;
  final String token;
  final int hub;
  final Instant sent;
  String id;
  String startError;
  Instant doneSeenAt;
  JsonObject reference;
  int referenceHub;

  SoakJob(int number, String token, int hub, Instant sent) {
    this.number = number;
    this.token = token;
    this.hub = hub;
    this.sent = sent;
  }

  /** The state of each result by address; an address with two results reads "a+b". */
  static Map<String, String> states(JsonObject view) {
    Map<String, String> out = new TreeMap<>();
    JsonArray results = view.getJsonArray("results", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      JsonObject r = results.getJsonObject(i);
      out.merge(r.getString("address"), r.getString("state"), (a, b) -> a + "+" + b);
    }
    return out;
  }

  /** Each result by address (the last if there are several). */
  static Map<String, JsonObject> results(JsonObject view) {
    Map<String, JsonObject> out = new HashMap<>();
    JsonArray results = view.getJsonArray("results", new JsonArray());
    for (int i = 0; i < results.size(); i++) {
      out.put(results.getJsonObject(i).getString("address"), results.getJsonObject(i));
    }
    return out;
  }

  static List<String> targets(JsonObject view) {
    List<String> out = new ArrayList<>();
    view.getJsonArray("targets", new JsonArray()).forEach(t -> out.add(String.valueOf(t)));
    return out;
  }

  /** Where two reads of a job differ, or "" if they read the same (state, targets, each result's state). */
  static String difference(JsonObject a, JsonObject b) {
    StringBuilder out = new StringBuilder();
    if (!a.getString("state", "").equals(b.getString("state", ""))) {
      out.append("state ").append(a.getString("state")).append(" vs ").append(b.getString("state")).append("; ");
    }
    if (!new TreeSet<>(targets(a)).equals(new TreeSet<>(targets(b)))) {
      out.append("targets differ (").append(targets(a).size()).append(" vs ").append(targets(b).size()).append("); ");
    }
    Map<String, String> sa = states(a);
    Map<String, String> sb = states(b);
    List<String> diffs = new ArrayList<>();
    for (String address : new TreeSet<>(union(sa.keySet(), sb.keySet()))) {
      String x = sa.getOrDefault(address, "(none)");
      String y = sb.getOrDefault(address, "(none)");
      if (!x.equals(y)) {
        diffs.add(address + " " + x + " vs " + y);
      }
    }
    if (!diffs.isEmpty()) {
      out.append(diffs.size()).append(" results differ: ").append(String.join(", ", diffs.subList(0,
          Math.min(6, diffs.size())))).append(diffs.size() > 6 ? ", …" : "");
    }
    return out.toString();
  }

  /** True if {@code read} is {@code done}'s job not yet done: running, every result it has the same as done's. */
  static boolean lagsBehind(JsonObject read, JsonObject done) {
    if (!"running".equals(read.getString("state"))) {
      return false;
    }
    Map<String, String> have = states(read);
    Map<String, String> all = states(done);
    return have.entrySet().stream().allMatch(e -> e.getValue().equals(all.get(e.getKey())));
  }

  /**
   * True if {@code read} and {@code done} differ only where one of the two says it does not know: the same targets,
   * and every result {@code read} has is the same as done's, or one of the two reads {@code unknown} (a target it
   * lacks is still pending, which claims nothing). Across a network split each side knows what its own members
   * saw: the coordinator reads {@code unknown} for targets whose owner it lost, while the cut-off owner reads the
   * outcome it saw, and neither answer contradicts the other. Two results for one target never pass.
   */
  static boolean unsureWhereTheyDiffer(JsonObject read, JsonObject done) {
    if (!new TreeSet<>(targets(read)).equals(new TreeSet<>(targets(done)))) {
      return false;
    }
    Map<String, String> all = states(done);
    return states(read).entrySet().stream().allMatch(e -> {
      String mine = e.getValue();
      String theirs = all.get(e.getKey());
      return mine.equals(theirs) || (!mine.contains("+") && theirs != null && !theirs.contains("+")
          && (mine.equals("unknown") || theirs.equals("unknown")));
    });
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> all = new HashSet<>(a);
    all.addAll(b);
    return all;
  }

  @Override
  public String toString() {
    return "job " + (id == null ? "(not started)" : id) + " (broadcast #" + number + " through hub " + hub
        + " at " + sent + ")";
  }
}
