package dev.sessionhub.agent.impl;

import dev.sessionhub.agent.AgentOptions;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;

/**
 * Turns the agent's TLS options into Vert.x server settings: https with the PEM certificate chain and key.
 *
 * <p>Why the material is loaded once before binding: {@link PortBinder} moves on to the next port when a bind
 * fails, so a bad key file would otherwise read as "no free port in 8000-8099". Loading it first gives the real
 * reason, once. Blocking (reads files): call it from a worker.
 */
final class ServerTls {

  private ServerTls() {
  }

  /** Checks the certificate and key load; throws {@link IllegalArgumentException} saying which and why. */
  static void check(Vertx vertx, AgentOptions options) {
    if (!options.isTls()) {
      return;
    }
    try {
      keyCert(options).getKeyManagerFactory(vertx);
    } catch (Exception e) {
      throw new IllegalArgumentException("TLS certificate " + options.getTlsCertPath() + " with key "
          + options.getTlsKeyPath() + " could not be loaded: " + e.getMessage(), e);
    }
  }

  /** {@code server} set to serve https when the options carry a certificate; unchanged otherwise. */
  static HttpServerOptions apply(AgentOptions options, HttpServerOptions server) {
    return options.isTls() ? server.setSsl(true).setKeyCertOptions(keyCert(options)) : server;
  }

  private static PemKeyCertOptions keyCert(AgentOptions options) {
    return new PemKeyCertOptions().setCertPath(options.getTlsCertPath()).setKeyPath(options.getTlsKeyPath());
  }
}
