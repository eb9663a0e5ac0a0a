package dev.sessionhub.hub.client;

import dev.sessionhub.shared.tls.TlsFailures;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.net.URLConnection;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLException;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.apache.xmlrpc.client.XmlRpcHttpClientConfig;
import org.apache.xmlrpc.client.XmlRpcSunHttpTransport;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The Apache {@code HttpURLConnection} transport for one call, with the library's unsafe defaults replaced.
 *
 * <ul>
 *   <li>Parsing: a reader that refuses DOCTYPEs and external entities ({@link SecureXmlReaders}) and a response
 *       parser that never deserializes a fault's {@code faultCause} ({@link FaultSafeResponseParser},
 *       CVE-2019-17570); a fault is thrown as code and message only ({@link AgentFault}).</li>
 *   <li>Limits: the connect timeout is the options' (capped by the call's deadline), the read timeout is what
 *       is left of the deadline (set on the connection: the library ignores its config's timeouts), the
 *       connection is registered with the call's {@link ConnectionAbort} so the deadline can cut a stalled
 *       request or header phase, and the body is read through a {@link BoundedResponseStream}. A gzip body is
 *       never inflated (we never ask for one, and inflating would defeat the size cap). The JDK itself caps
 *       response headers ({@code jdk.http.maxHeaderSize}, 384 KiB).</li>
 *   <li>No silent re-send: the body goes out in fixed-length streaming mode, which carries a Content-Length
 *       header (HTTP/1.0 agents reject chunked bodies) and which {@code HttpURLConnection} never retries. The
 *       static initializer also sets {@code sun.net.http.retryPost=false}: otherwise {@code HttpURLConnection}
 *       re-sends a buffered POST once when a kept-alive connection fails before the response, which would run
 *       a {@code command} twice. (The JDK reads that property once; launchers should pass it too.)</li>
 *   <li>No proxy, no redirects. Connections are reused only after a complete answer ({@link #close()}).</li>
 *   <li>TLS for {@code https://} agents: the settings' {@link VerifyingSocketFactory} (the configured CAs,
 *       host names checked in the handshake). A failed handshake is {@code UNREACHABLE} with the reason, and
 *       the call is never re-sent over http. The limits above hold for https the same way.</li>
 * </ul>
 *
 * <p>A new instance serves exactly one request (the library creates one per call through {@link
 * HardenedTransportFactory}), so the per-call fields need no synchronization.
 */
final class HardenedTransport extends XmlRpcSunHttpTransport {

  static {
    System.setProperty("sun.net.http.retryPost", "false");
  }

  private final TransportSettings settings;
  private CallConfig call;
  /** The whole response was read and parsed: the connection may go back to the JDK's keep-alive cache. */
  private boolean complete;

  HardenedTransport(XmlRpcClient client, TransportSettings settings) {
    super(client);
    this.settings = settings;
  }

  @Override
  public Object sendRequest(XmlRpcRequest request) throws XmlRpcException {
    if (!(request.getConfig() instanceof CallConfig)) {
      throw new XmlRpcClientException("agent calls need a CallConfig", null);
    }
    call = (CallConfig) request.getConfig();
    return super.sendRequest(request);
  }

  @Override
  protected URLConnection newURLConnection(URL url) throws IOException {
    URLConnection connection = url.openConnection(Proxy.NO_PROXY);
    if (!(connection instanceof HttpURLConnection)) {
      throw new AgentCallException(AgentCallException.Kind.PROTOCOL, "not an HTTP URL: " + url);
    }
    HttpURLConnection http = (HttpURLConnection) connection;
    if (http instanceof HttpsURLConnection https) {
      https.setSSLSocketFactory(settings.tlsSockets());
    }
    Deadline deadline = call.deadline();
    http.setConnectTimeout((int) Math.min(settings.connectTimeoutMillis(), deadline.remainingSocketMillis()));
    http.setReadTimeout(deadline.remainingSocketMillis());
    http.setInstanceFollowRedirects(false);
    call.abort().attach(http);
    return http;
  }

  @Override
  protected String getUserAgent() {
    return settings.userAgent();
  }

  @Override
  protected void setCredentials(XmlRpcHttpClientConfig config) {
    if (settings.authorization() != null) {
      setRequestHeader("Authorization", settings.authorization());
    }
  }

  /** Fixed-length streaming: a Content-Length body that {@code HttpURLConnection} will not re-send. */
  @Override
  protected void setContentLength(int length) {
    ((HttpURLConnection) getURLConnection()).setFixedLengthStreamingMode(length);
  }

  @Override
  protected boolean isResponseGzipCompressed(XmlRpcStreamRequestConfig config) {
    return false;
  }

  /**
   * Connects (with the TLS handshake for https) and sends. A timeout here can only be the connect's or the
   * handshake's: the host is as good as dead. A failed handshake means nothing was sent.
   */
  @Override
  protected void writeRequest(ReqWriter writer) throws IOException, XmlRpcException, SAXException {
    try {
      super.writeRequest(writer);
    } catch (SocketTimeoutException e) {
      if (getURLConnection() instanceof HttpsURLConnection && call.deadline().expired()) {
        throw new AgentCallException(AgentCallException.Kind.TIMEOUT, "the TLS handshake with " + call.hostPort()
            + " did not finish within " + call.deadline().timeoutMillis() + " ms", e);
      }
      throw new AgentCallException(AgentCallException.Kind.UNREACHABLE, "no connection to " + call.hostPort()
          + " within " + ((HttpURLConnection) getURLConnection()).getConnectTimeout() + " ms", e);
    } catch (SSLException e) {
      throw tlsFailure(e);
    }
  }

  private AgentCallException tlsFailure(SSLException e) {
    String message = TlsFailures.certificateProblem(e)
        .map(problem -> "the TLS certificate of " + call.hostPort() + " is not trusted (checked against "
            + settings.trusted() + " for host " + call.getServerURL().getHost() + "): " + problem)
        .orElse("TLS handshake with " + call.hostPort() + " failed (does it serve https?): " + e.getMessage());
    return new AgentCallException(AgentCallException.Kind.UNREACHABLE, message, e);
  }

  /** Waits for the headers (the status must be 200), then reads the body through the size and deadline caps. */
  @Override
  protected InputStream getInputStream() throws XmlRpcException {
    InputStream body;
    try {
      body = super.getInputStream();
    } finally {
      call.abort().headersDone();
    }
    return new BoundedResponseStream(body, settings.maxResponseBytes(), call.deadline(),
        call.getServerURL().toString());
  }

  @Override
  protected XMLReader newXMLReader() throws XmlRpcException {
    return SecureXmlReaders.newReader();
  }

  @Override
  protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream in) throws XmlRpcException {
    XMLReader reader = newXMLReader();
    FaultSafeResponseParser parser = new FaultSafeResponseParser(config, getClient().getTypeFactory());
    reader.setContentHandler(parser);
    try {
      reader.parse(new InputSource(in));
    } catch (SAXException e) {
      throw new XmlRpcClientException("Failed to parse server's response: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new XmlRpcClientException("Failed to read server's response: " + e.getMessage(), e);
    }
    complete = true;
    if (parser.isSuccess()) {
      return parser.getResult();
    }
    throw new AgentFault(parser.getErrorCode(), parser.getErrorMessage());
  }

  /**
   * After a complete answer the response stream is closed, not the connection: {@code HttpURLConnection} then
   * keeps it for the next call to the same agent (HTTP/1.1 agents with a Content-Length answer; it drops it after
   * 5 s idle, long before an agent's own idle timeout). After anything else, and for agents that close (HTTP/1.0),
   * the connection is dropped. A kept connection is never used to re-send: POSTs are not retried.
   */
  @Override
  protected void close() throws XmlRpcClientException {
    HttpURLConnection connection = (HttpURLConnection) getURLConnection();
    if (connection == null) {
      return;
    }
    if (complete) {
      try {
        connection.getInputStream().close();
        return;
      } catch (IOException e) {
        // fall through: drop it
      }
    }
    connection.disconnect();
  }
}
