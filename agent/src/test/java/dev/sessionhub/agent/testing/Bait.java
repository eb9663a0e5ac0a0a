package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A loopback listener that only counts who connects: the URL an XXE payload names (external entity, parameter
 * entity, external DTD). A parser that resolves anything shows up in {@link #connections()}; a safe one leaves
 * it at zero.
 */
public final class Bait implements AutoCloseable {

  private final ServerSocket server;
  private final AtomicInteger connections = new AtomicInteger();

  public Bait() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::acceptLoop, "bait-" + server.getLocalPort());
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** {@code http://127.0.0.1:port/name}. */
  public String url(String name) {
    return "http://127.0.0.1:" + server.getLocalPort() + "/" + name;
  }

  public int connections() {
    return connections.get();
  }

  private void acceptLoop() {
    while (!server.isClosed()) {
      try (Socket s = server.accept()) {
        connections.incrementAndGet();
      } catch (IOException closed) {
        return;
      }
    }
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
