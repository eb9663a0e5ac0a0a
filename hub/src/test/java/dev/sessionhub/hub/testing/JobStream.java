package dev.sessionhub.hub.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

/** A job's server-sent events ({@code GET /api/jobs/{id}/events}), read on a thread of its own until {@code done}. */
public final class JobStream {

  /** One event and when the test read it ({@link System#nanoTime()}). */
  public record Event(String type, JsonObject data, long atNanos) {
  }

  private JobStream() {
  }

  /** Starts reading; the list fills as events arrive (a {@code failed} event if the stream broke). */
  public static List<Event> follow(String hub, String jobId) {
    List<Event> events = new CopyOnWriteArrayList<>();
    Thread reader = new Thread(() -> {
      HttpRequest request = HttpRequest.newBuilder(URI.create(hub + "/api/jobs/" + jobId + "/events")).build();
      try (Stream<String> lines = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofLines())
          .body()) {
        String type = null;
        for (String line : (Iterable<String>) lines::iterator) {
          if (line.startsWith("event: ")) {
            type = line.substring(7);
          } else if (line.startsWith("data: ") && type != null) {
            events.add(new Event(type, new JsonObject(line.substring(6)), System.nanoTime()));
            if (type.equals("done")) {
              return;
            }
          }
        }
      } catch (IOException | InterruptedException e) {
        events.add(new Event("failed", new JsonObject().put("error", e.toString()), System.nanoTime()));
      }
    }, "sse-" + jobId);
    reader.setDaemon(true);
    reader.start();
    return events;
  }
}
