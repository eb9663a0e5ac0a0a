package dev.sessionhub.hub.discovery;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.time.Duration;

/**
 * Is anything listening at host:port? A non-blocking TCP connect with a short timeout, closed at once: refused,
 * unreachable and timed-out connects all read as closed. Sends nothing, so probing never disturbs a session.
 */
public final class PortProber implements AutoCloseable {

  private final NetClient client;

  public PortProber(Vertx vertx, Duration connectTimeout) {
    this.client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setTcpNoDelay(true));
  }

  public Future<Boolean> isOpen(String host, int port) {
    return client.connect(port, host).transform(ar -> {
      if (ar.succeeded()) {
        ar.result().close();
        return Future.succeededFuture(true);
      }
      return Future.succeededFuture(false);
    });
  }

  @Override
  public void close() {
    client.close();
  }
}
