package dev.sessionhub.hub.impl.discovery;

import dev.sessionhub.shared.scan.HostPort;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Whether a port completes a TLS handshake, for explaining an agent that closed a plain-http poll without an
 * answer: an https agent does exactly that when a hub calls it over http. Only the handshake runs (the peer's
 * certificate is accepted unchecked because nothing is sent or trusted: the socket is closed at once); the answer
 * only chooses the words of a diagnosis. Non-blocking (a Vert.x client).
 */
public final class TlsSniffer implements AutoCloseable {

  private final NetClient client;

  public TlsSniffer(Vertx vertx, Duration timeout) {
    int millis = (int) Math.max(1, timeout.toMillis());
    this.client = vertx.createNetClient(new NetClientOptions().setConnectTimeout(millis).setSsl(true)
        .setTrustAll(true).setHostnameVerificationAlgorithm("").setSslHandshakeTimeout(millis)
        .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS));
  }

  /** Succeeds with true when {@code address} finishes a TLS handshake, false when it does not (never fails). */
  public Future<Boolean> speaksTls(HostPort address) {
    return client.connect(address.port(), address.host())
        .compose(socket -> socket.close().map(true), failed -> Future.succeededFuture(false));
  }

  @Override
  public void close() {
    client.close();
  }
}
