package dev.sessionhub.hub.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A blocking client of the hub's REST API for tests (the JUnit thread, never an event loop). */
public final class HubApi {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** Status code and JSON body. */
  public record Reply(int status, JsonObject json) {
  }

  private HubApi() {
  }

  public static Reply get(String hubUrl, String path) {
    return send(HttpRequest.newBuilder(URI.create(hubUrl + path)).timeout(Duration.ofSeconds(20)).GET());
  }

  public static Reply post(String hubUrl, String path, JsonObject body) {
    return send(HttpRequest.newBuilder(URI.create(hubUrl + path)).timeout(Duration.ofSeconds(120))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.encode())));
  }

  public static Reply delete(String hubUrl, String path) {
    return send(HttpRequest.newBuilder(URI.create(hubUrl + path)).timeout(Duration.ofSeconds(60)).DELETE());
  }

  private static Reply send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Reply(r.statusCode(), r.body().isEmpty() ? new JsonObject() : new JsonObject(r.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static JsonObject sessions(String hubUrl, String selector) {
    Reply r = get(hubUrl, "/api/sessions?selector=" + URLEncoder.encode(selector, StandardCharsets.UTF_8));
    if (r.status() != 200) {
      throw new AssertionError("GET /api/sessions answered " + r.status() + ": " + r.json());
    }
    return r.json();
  }

  public static int count(String hubUrl, String selector) {
    try {
      return sessions(hubUrl, selector).getInteger("count");
    } catch (RuntimeException | AssertionError e) {
      return -1;
    }
  }
}
