package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;

/**
 * Waits for a job to end and returns its final view. With a {@link LiveOutput} it follows
 * {@code /api/jobs/{id}/events} whether or not stdout is a terminal, handing it each piece of output as it comes
 * and each result once. Without one, on a terminal it follows the same stream to draw a progress bar on stderr.
 * Otherwise, or if the stream fails, it reads the job every 200 ms (and hands the live output the results it has
 * not seen). If the user interrupts the wait, it says how to read the job later: the job keeps running on the hub.
 */
final class JobFollower {

  static final Duration POLL = Duration.ofMillis(200);

  private final HubClientOptions options;
  private final HubConnection hub;

  JobFollower(HubClientOptions options, HubConnection hub) {
    this.options = options;
    this.hub = hub;
  }

  JsonObject await(String id, int targets) {
    return await(id, targets, null);
  }

  /** {@code live}: where output goes as it is printed, or null for a progress bar on a terminal. */
  JsonObject await(String id, int targets, LiveOutput live) {
    Thread hint = new Thread(() -> System.err.println("\nsessionhub: job " + id + " keeps running on the hub; "
        + "read it with: sessionhub job " + id));
    Runtime.getRuntime().addShutdownHook(hint);
    Progress progress = live == null ? new Progress("job " + id.substring(0, Math.min(8, id.length())), targets)
        : Progress.none();
    Set<String> ended = new HashSet<>();
    try {
      if (live != null || System.console() != null) {
        follow(id, progress, live, ended);
      }
      JsonObject view = poll(id, progress);
      if (live != null) {
        JsonArray results = view.getJsonArray("results", new JsonArray());
        for (int i = 0; i < results.size(); i++) {
          if (ended.add(results.getJsonObject(i).getString("address"))) {
            live.ended(results.getJsonObject(i));
          }
        }
      }
      return view;
    } finally {
      progress.done();
      try {
        Runtime.getRuntime().removeShutdownHook(hint);
      } catch (IllegalStateException shuttingDown) {
        // the hint prints
      }
    }
  }

  private JsonObject poll(String id, Progress progress) {
    while (true) {
      JsonObject view = hub.get("/api/jobs/" + ApiPaths.segment(id));
      progress.update(view.getInteger("target_count", 0) - view.getJsonObject("counts", new JsonObject())
          .getInteger("pending", 0));
      if ("done".equals(view.getString("state"))) {
        return view;
      }
      LockSupport.parkNanos(POLL.toNanos());
      if (Thread.interrupted()) {
        throw new CliException(CliException.FAILED, "interrupted");
      }
    }
  }

  /** Reads the job's event stream until its {@code done} event; any failure just leaves it to polling. */
  private void follow(String id, Progress progress, LiveOutput live, Set<String> ended) {
    new JobEventReader(options, hub.http()).read(id, new JobEventReader.Listener() {
      @Override
      public void output(String address, String text, long skipped) {
        if (live != null && !ended.contains(address)) {
          live.output(address, text, skipped);
        }
      }

      @Override
      public void result(JsonObject result) {
        if (ended.add(result.getString("address"))) {
          progress.update(ended.size());
          if (live != null) {
            live.ended(result);
          }
        }
      }
    });
  }
}
