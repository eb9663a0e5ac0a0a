package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Iterator;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Waits for a job to end and returns its final view. On a terminal it follows {@code /api/jobs/{id}/events}
 * and draws a progress bar on stderr; otherwise (or if the stream fails) it reads the job every 200 ms.
 * If the user interrupts the wait, it says how to read the job later: the job itself keeps running on the hub.
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
    Thread hint = new Thread(() -> System.err.println("\nsessionhub: job " + id + " keeps running on the hub; "
        + "read it with: sessionhub job " + id));
    Runtime.getRuntime().addShutdownHook(hint);
    Progress progress = new Progress("job " + id.substring(0, Math.min(8, id.length())), targets);
    try {
      if (System.console() != null) {
        follow(id, progress);
      }
      return poll(id, progress);
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
  private void follow(String id, Progress progress) {
    String base = options.hubUrl.endsWith("/") ? options.hubUrl.substring(0, options.hubUrl.length() - 1)
        : options.hubUrl;
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + ApiPaths.segment(id) + "/events"))
          .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET();
    } catch (IllegalArgumentException e) {
      return;
    }
    String token = options.tokens.resolve();
    if (token != null) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(("cli:" + token).getBytes(StandardCharsets.UTF_8)));
    }
    HttpClient http = hub.http();
    try {
      HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        response.body().close();
        return;
      }
      try (Stream<String> lines = response.body()) {
        String event = "message";
        long ended = 0;
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            if (event.equals("done")) {
              return;
            }
            if (event.equals("result")) {
              progress.update(++ended);
            }
          } else if (line.isEmpty()) {
            event = "message";
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall back to polling
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
