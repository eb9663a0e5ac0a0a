package dev.sessionhub.ops.farm;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The hubs' REST API as the soak calls it: plain HTTP through each hub's forwarder ({@link NetnsFarm#forward}),
 * so polling three hubs every second spawns no process, and a cut or frozen hub costs only the request's own
 * timeout. Every call is timed and logged (hub, endpoint, sent, answered, status) for the latency invariant.
 */
final class SoakHubApi {

  /** One call: HTTP status (0 if none came back), the JSON body if it was JSON, or what failed. */
  record Answer(int hub, String endpoint, int status, JsonObject json, String error, Instant sent,
      Instant received) {
    boolean ok() {
      return status >= 200 && status < 300 && json != null;
    }

    long millis() {
      return Duration.between(sent, received).toMillis();
    }

    String summary() {
      if (status == 0) {
        return "no answer (" + error + ") after " + millis() + " ms";
      }
      String body = json != null ? json.encode() : String.valueOf(error);
      return "HTTP " + status + " after " + millis() + " ms: " + (body.length() > 300 ? body.substring(0, 300)
          + "…" : body);
    }
  }

  private final Map<Integer, Integer> localPorts;
  private final String token;
  private final Clock clock;
  private final Duration timeout;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();
  private final List<Call> log = new ArrayList<>();

  /** What the latency log keeps of a call (not its body). */
  record Call(int hub, String endpoint, int status, String error, Instant sent, Instant received) {
    long millis() {
      return Duration.between(sent, received).toMillis();
    }
  }

  SoakHubApi(Map<Integer, Integer> localPorts, String token, Clock clock, Duration timeout) {
    this.localPorts = Map.copyOf(localPorts);
    this.token = token;
    this.clock = clock;
    this.timeout = timeout;
  }

  Answer get(int hub, String endpoint, String path) {
    return call(hub, endpoint, HttpRequest.newBuilder(uri(hub, path)).GET());
  }

  Answer post(int hub, String endpoint, String path, JsonObject body) {
    return call(hub, endpoint, HttpRequest.newBuilder(uri(hub, path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  synchronized List<Call> log() {
    return List.copyOf(log);
  }

  private URI uri(int hub, String path) {
    return URI.create("http://127.0.0.1:" + localPorts.get(hub) + path);
  }

  private Answer call(int hub, String endpoint, HttpRequest.Builder request) {
    Instant sent = clock.instant();
    Answer answer;
    try {
      HttpResponse<String> r = http.send(request.timeout(timeout).header("Authorization", "Bearer " + token)
          .build(), HttpResponse.BodyHandlers.ofString());
      JsonObject json = null;
      String error = null;
      try {
        json = new JsonObject(r.body());
      } catch (RuntimeException notJson) {
        error = r.body().length() > 300 ? r.body().substring(0, 300) : r.body();
      }
      answer = new Answer(hub, endpoint, r.statusCode(), json, error, sent, clock.instant());
    } catch (IOException e) {
      answer = new Answer(hub, endpoint, 0, null, e.getClass().getSimpleName() + ": " + e.getMessage(), sent,
          clock.instant());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      answer = new Answer(hub, endpoint, 0, null, "interrupted", sent, clock.instant());
    }
    synchronized (this) {
      log.add(new Call(hub, endpoint, answer.status(), answer.status() >= 200 && answer.status() < 300 ? null
          : answer.summary(), sent, answer.received()));
    }
    return answer;
  }
}
