package dev.sessionhub.agent.impl;

import dev.sessionhub.shared.tls.TlsFailures;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent's link to its hub: announces the session ({@code hub.register}) as soon as it listens, renews its
 * lease with {@code hub.heartbeat}, registers again when the hub has forgotten it (a restarted hub), and
 * deregisters on close so the session leaves the inventory at once. A hub that is down is retried on the next
 * beat; the session serves regardless.
 *
 * <p>An {@code https://} hub is verified: its certificate must chain to the CA bundle given (or, without one, to
 * the JDK's trusted CAs) and name the hub's host. A refused certificate is logged as a warning (a configuration
 * error, unlike a hub that is merely down) and retried on the next beat; there is no fallback to http.
 */
final class HubLink {

  private static final Logger LOG = LoggerFactory.getLogger(HubLink.class);
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final HttpClient client;
  private final URI hub;
  private final String authorization;
  private final XmlRpcCodec codec = XmlRpcCodec.withDefaults();
  private final Supplier<Map<String, Object>> serverData;
  private final String agentUrl;
  private final Duration interval;
  private volatile String address;
  private volatile String sessionId;
  private long timer = -1;
  private volatile boolean closed;
  private final boolean tls;
  private volatile boolean warnedTls;

  HubLink(Vertx vertx, String hubUrl, String token, String hubCaPath, Supplier<Map<String, Object>> serverData,
      String agentUrl, Duration interval) {
    this.vertx = vertx;
    this.hub = URI.create(hubUrl.endsWith("/") ? hubUrl : hubUrl + "/");
    String secret = hub.getUserInfo() != null && hub.getUserInfo().contains(":")
        ? hub.getUserInfo().substring(hub.getUserInfo().indexOf(':') + 1) : token;
    this.authorization = secret == null ? null : "Basic " + Base64.getEncoder()
        .encodeToString(("agent:" + secret).getBytes(StandardCharsets.UTF_8));
    this.tls = "https".equalsIgnoreCase(hub.getScheme());
    this.client = vertx.createHttpClient(clientOptions(tls, hubCaPath));
    this.serverData = serverData;
    this.agentUrl = agentUrl;
    this.interval = interval;
  }

  /** Verifying https (host name checked, the CA bundle or the JDK's CAs trusted), or plain http. */
  static HttpClientOptions clientOptions(boolean tls, String hubCaPath) {
    HttpClientOptions options = new HttpClientOptions().setConnectTimeout(2000);
    if (tls) {
      options.setSsl(true).setVerifyHost(true).setTrustAll(false);
      if (hubCaPath != null) {
        options.setTrustOptions(new PemTrustOptions().addCertPath(hubCaPath));
      }
    }
    return options;
  }

  void start() {
    register();
    timer = vertx.setPeriodic(interval.toMillis(), id -> beat());
  }

  private Future<Void> register() {
    Map<String, Object> announcement = new LinkedHashMap<>(serverData.get());
    announcement.put("url", agentUrl);
    return call("hub.register", List.of(announcement)).map(answer -> {
      if (answer instanceof Map<?, ?> m && m.get("address") instanceof String a) {
        address = a;
        sessionId = String.valueOf(announcement.get("session_id"));
        LOG.info("announced to {} as {}", hub.getHost() + ":" + hub.getPort(), a);
      }
      return (Void) null;
    }).onFailure(this::registrationFailed);
  }

  private void registrationFailed(Throwable e) {
    Optional<String> untrusted = TlsFailures.certificateProblem(e);
    if (untrusted.isPresent() && !warnedTls) {
      warnedTls = true;
      LOG.warn("cannot announce to {}: its TLS certificate is not trusted ({}); pass --hub-ca with the CA that "
          + "signed it", hub.getHost() + ":" + port(), untrusted.get());
    } else {
      LOG.debug("hub registration failed: {}", e.toString());
    }
  }

  private void beat() {
    if (closed) {
      return;
    }
    if (address == null) {
      register();
      return;
    }
    call("hub.heartbeat", List.of(address, sessionId)).onComplete(ar -> {
      if (ar.succeeded() && Boolean.FALSE.equals(ar.result())) {
        register();
      }
    });
  }

  /** Stops beating and deregisters (waiting at most a few seconds for the hub). */
  Future<Void> close() {
    closed = true;
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    Future<Object> bye = address == null ? Future.succeededFuture()
        : call("hub.deregister", List.of(address, sessionId));
    return bye.transform(ar -> client.close());
  }

  private int port() {
    return hub.getPort() > 0 ? hub.getPort() : tls ? 443 : 80;
  }

  private Future<Object> call(String method, List<Object> params) {
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(hub.getHost())
        .setPort(port()).setURI("/RPC2")
        .setTimeout(CALL_TIMEOUT.toMillis()).putHeader("Content-Type", "text/xml")
        // the hub counts a session's announcements against the session, not its host (many sessions per host)
        .putHeader("X-SessionHub-Session-Port", String.valueOf(URI.create(agentUrl).getPort()));
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    Buffer body = Buffer.buffer(codec.encodeCall(method, params));
    return client.request(request)
        .compose(req -> req.send(body))
        .compose(resp -> resp.statusCode() == 200 ? resp.body()
            : Future.failedFuture("hub answered HTTP " + resp.statusCode()))
        .compose(bytes -> {
          try {
            XmlRpcResponse response = codec.decodeResponse(bytes.getBytes());
            return response.isFault() ? Future.failedFuture(response.fault().message())
                : Future.succeededFuture(response.value());
          } catch (Exception e) {
            return Future.failedFuture(e);
          }
        });
  }

}
