package dev.sessionhub.hub.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS sockets of the hub's agent calls: the trust of one {@link SSLContext}, and host name verification
 * done inside the handshake on every socket.
 *
 * <p>Why a wrapper: {@code HttpsURLConnection} checks the host name in the handshake only while the JVM-wide
 * default {@code HostnameVerifier} is the JDK's own; any code in the process may replace that default with a
 * lenient one. Setting the endpoint identification algorithm {@code HTTPS} on each socket makes the check
 * independent of that global, so a certificate for another host fails the handshake like an untrusted one.
 */
final class VerifyingSocketFactory extends SSLSocketFactory {

  private final SSLSocketFactory delegate;

  VerifyingSocketFactory(SSLContext context) {
    this.delegate = context.getSocketFactory();
  }

  @Override
  public String[] getDefaultCipherSuites() {
    return delegate.getDefaultCipherSuites();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return delegate.getSupportedCipherSuites();
  }

  @Override
  public Socket createSocket() throws IOException {
    return verifying(delegate.createSocket());
  }

  @Override
  public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
    return verifying(delegate.createSocket(s, host, port, autoClose));
  }

  @Override
  public Socket createSocket(String host, int port) throws IOException {
    return verifying(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
    return verifying(delegate.createSocket(host, port, localHost, localPort));
  }

  @Override
  public Socket createSocket(InetAddress host, int port) throws IOException {
    return verifying(delegate.createSocket(host, port));
  }

  @Override
  public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
      throws IOException {
    return verifying(delegate.createSocket(address, port, localAddress, localPort));
  }

  private static Socket verifying(Socket socket) {
    if (socket instanceof SSLSocket ssl) {
      SSLParameters parameters = ssl.getSSLParameters();
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
      ssl.setSSLParameters(parameters);
    }
    return socket;
  }
}
