package dev.sessionhub.ops.cli;

import dev.sessionhub.shared.tls.TlsFailures;
import dev.sessionhub.shared.tls.TrustedCas;
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
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;

/**
 * The CLI's client of a hub's REST API. Every failure becomes a {@link CliException} with a message that says
 * what to do: an unreachable hub, a refused token, a hub certificate that is not trusted, a bad selector, an
 * unknown session.
 *
 * <p>An {@code https://} hub is verified: its certificate must chain to the {@code --hub-ca} bundle (or, without
 * one, the JDK's trusted CAs) and name the hub's host. There is no fallback to http.
 */
final class HubConnection {

  private final URI base;
  private final String authorization;
  private final HttpClient http;
  private final Path caBundle;

  HubConnection(String hubUrl, String token) {
    this(hubUrl, token, null);
  }

  /** {@code caBundle}: the PEM CAs an https hub must chain to; null for the JDK's trusted CAs. */
  HubConnection(String hubUrl, String token, Path caBundle) {
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
    this.caBundle = caBundle;
    HttpClient.Builder builder = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3));
    if ("https".equalsIgnoreCase(base.getScheme())) {
      try {
        builder.sslContext(TrustedCas.clientContext(caBundle));
      } catch (IllegalArgumentException e) {
        throw new CliException(CliException.USAGE, "--hub-ca: " + e.getMessage());
      }
    }
    this.http = builder.build();
  }

  /** The HTTP client with this connection's TLS trust, for streams this class does not read itself. */
  HttpClient http() {
    return http;
  }

  JsonObject get(String pathAndQuery) {
    return send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).GET(), Duration.ofSeconds(30));
  }

  JsonObject post(String path, JsonObject body, Duration timeout) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.encode())), timeout);
  }

  JsonObject delete(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Duration.ofSeconds(30));
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
      Optional<String> untrusted = TlsFailures.certificateProblem(e);
      if (untrusted.isPresent()) {
        throw new CliException(CliException.UNREACHABLE, "the hub's TLS certificate is not trusted (checked against "
            + TrustedCas.describe(caBundle) + " for host " + base.getHost() + "): " + untrusted.get()
            + "; pass --hub-ca FILE (or SESSIONHUB_HUB_CA) with the CA that signed it");
      }
      if (TlsFailures.isTls(e)) {
        throw new CliException(CliException.UNREACHABLE, "TLS handshake with the hub at " + base
            + " failed (does it serve https?): " + e.getMessage());
      }
      throw new CliException(CliException.UNREACHABLE, "talking to the hub at " + base + " failed: " + e
          + ("http".equalsIgnoreCase(base.getScheme()) ? " (if the hub serves TLS, use an https:// URL)" : ""));
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
    if (status == 409) {
      throw new CliException(CliException.FAILED, json.getString("message", "HTTP " + status));
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
