package dev.sessionhub.hub.impl.client;

import java.io.IOException;
import java.net.Proxy;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import org.apache.hc.client5.http.io.DetachedSocketFactory;

/**
 * The unconnected sockets HttpClient connects to agents: each the socket of a {@link SocketChannel}, so {@link
 * CheckedConnection} can check a kept connection without blocking; TCP_NODELAY (a request is one write). Never
 * through a proxy.
 */
final class ChannelSockets implements DetachedSocketFactory {

  @Override
  public Socket create(Proxy socksProxy) throws IOException {
    if (socksProxy != null && socksProxy.type() != Proxy.Type.DIRECT) {
      throw new IOException("agent calls never go through a proxy");
    }
    Socket socket = SocketChannel.open().socket();
    socket.setTcpNoDelay(true);
    return socket;
  }
}
