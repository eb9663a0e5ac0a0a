package dev.sessionhub.ops.cli;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/**
 * The CLI's client of a hub's REST API. Every failure becomes a {@link CliException} with a message that says
 * what to do: an unreachable hub, a refused token, a bad selector, an unknown session.
 */
final class HubConnection {

  private final URI base;
  private final String authorization;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  HubConnection(String hubUrl, String token) {
    String url = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
    try {
      this.base = URI.create(url);
      if (base.getHost() == null) {
        throw new IllegalArgumentException();
      }
    } catch (IllegalArgumentException e) {
      throw new CliException(CliException.USAGE, "bad hub URL '" + hubUrl + "' (e.g. http://127.0.0.1:7700)");
    }
    this.authorization = token == null ? null
        : "Basic " + Base64.getEncoder().encodeToString(("cli:" + token).getBytes(StandardCharsets.UTF_8));
  }

  JsonObject get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), Duration.ofSeconds(30));
  }

  JsonObject post(String path, JsonObject body, Duration timeout) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), timeout);
  }

  private JsonObject send(HttpRequest.Builder request, Duration timeout) {
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpConnectTimeoutException e) {
      throw new CliException(CliException.UNREACHABLE, "cannot reach the hub at " + base
          + " (is 'sessionhub hub' running there? pass --hub URL)");
    } catch (HttpTimeoutException e) {
      throw new CliException(CliException.UNREACHABLE, "the hub at " + base + " did not answer within "
          + timeout.toSeconds() + " s");
    } catch (IOException e) {
      throw new CliException(CliException.UNREACHABLE, "talking to the hub at " + base + " failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(CliException.FAILED, "interrupted");
    }
    JsonObject json;
    try {
      json = response.body().isBlank() ? new JsonObject() : new JsonObject(response.body());
    } catch (DecodeException e) {
      throw new CliException(CliException.UNREACHABLE, base + " answered HTTP " + response.statusCode()
          + " with something that is not a SessionHub hub");
    }
    int status = response.statusCode();
    if (status == 401) {
      throw new CliException(CliException.UNREACHABLE, "the hub refused the token (set --token-file or "
          + "SESSIONHUB_TOKEN to the hub's token)");
    }
    if (status >= 400 && status < 500) {
      throw new CliException(CliException.USAGE, json.getString("message", "HTTP " + status));
    }
    if (status >= 500) {
      throw new CliException(CliException.UNREACHABLE, "the hub failed: " + json.getString("message",
          "HTTP " + status));
    }
    return json;
  }
}
