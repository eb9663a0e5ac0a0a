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
import java.util.stream.Stream;

/**
 * Reads a job's server-sent events ({@code GET /api/jobs/{id}/events}) until its {@code done} event: each
 * {@code output} and {@code result} event goes to a {@link Listener} as it arrives. Any failure (refused, cut,
 * malformed) just ends the reading: the caller reads the job itself instead.
 */
final class JobEventReader {

  /** What the stream says, in order. */
  interface Listener {
    void output(String address, String text, long skipped);

    void result(JsonObject result);
  }

  private final HubClientOptions options;
  private final HttpClient http;

  JobEventReader(HubClientOptions options, HttpClient http) {
    this.options = options;
    this.http = http;
  }

  /** Whether the stream reached its {@code done} event (false: it failed first, or the thread was interrupted). */
  boolean read(String id, Listener listener) {
    String base = options.hubUrl.endsWith("/") ? options.hubUrl.substring(0, options.hubUrl.length() - 1)
        : options.hubUrl;
    HttpRequest.Builder request;
    try {
      request = HttpRequest.newBuilder(URI.create(base + "/api/jobs/" + ApiPaths.segment(id) + "/events"))
          .header("Accept", "text/event-stream").timeout(Duration.ofSeconds(10)).GET();
    } catch (IllegalArgumentException e) {
      return false;
    }
    String token = options.tokens.resolve();
    if (token != null) {
      request.header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString(("cli:" + token).getBytes(StandardCharsets.UTF_8)));
    }
    try {
      HttpResponse<Stream<String>> response = http.send(request.build(), HttpResponse.BodyHandlers.ofLines());
      if (response.statusCode() != 200) {
        response.body().close();
        return false;
      }
      try (Stream<String> lines = response.body()) {
        String event = "message";
        StringBuilder data = new StringBuilder();
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
          String line = it.next();
          if (line.startsWith("event:")) {
            event = line.substring(6).strip();
          } else if (line.startsWith("data:")) {
            data.append(data.length() == 0 ? "" : "\n").append(line.substring(line.startsWith("data: ") ? 6 : 5));
          } else if (line.isEmpty()) {
            if (dispatch(event, data.toString(), listener)) {
              return true;
            }
            event = "message";
            data.setLength(0);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // the caller reads the job instead
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** Hands one event to the listener; true for {@code done}. */
  private static boolean dispatch(String event, String data, Listener listener) {
    switch (event) {
      case "done":
        return true;
      case "output": {
        JsonObject piece = new JsonObject(data);
        listener.output(piece.getString("address", "?"), piece.getString("text", ""), piece.getLong("skipped", 0L));
        return false;
      }
      case "result":
        listener.result(new JsonObject(data));
        return false;
      default:
        return false;
    }
  }
}
