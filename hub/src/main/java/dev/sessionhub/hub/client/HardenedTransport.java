package dev.sessionhub.hub.client;

import dev.sessionhub.shared.tls.TlsFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientException;
import org.apache.xmlrpc.client.XmlRpcHttpClientConfig;
import org.apache.xmlrpc.client.XmlRpcHttpTransport;
import org.apache.xmlrpc.client.XmlRpcHttpTransportException;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;

/**
 * The Apache XML-RPC client's HTTP transport for one call, over our own kept-alive sockets, with the library's
 * unsafe defaults replaced.
 *
 * <ul>
 *   <li>Parsing: a reader that refuses DOCTYPEs and external entities ({@link SecureXmlReaders}) and a response
 *       parser that never deserializes a fault's {@code faultCause} ({@link FaultSafeResponseParser},
 *       CVE-2019-17570); a fault is thrown as code and message only ({@link AgentFault}).</li>
 *   <li>Limits: the connect timeout is the options' (capped by the call's deadline); every read is held to what
 *       is left of the deadline ({@link TimedInput}); the deadline timer can cut the connection in any phase
 *       ({@link ConnectionAbort}); response headers are capped at {@link #MAX_HEAD_BYTES} and the body at the
 *       options' size through a {@link BoundedResponseStream}. Bodies framed by Content-Length, chunked or (HTTP/1.0)
 *       by the agent closing are read; a gzip body is never inflated (we never ask for one).</li>
 *   <li>No silent re-send: a request is written once, with a Content-Length (HTTP/1.0 agents reject chunked
 *       bodies). A kept-alive connection is checked without waiting before it is used ({@link
 *       AgentConnection#isReusable()}); if it still turns out closed before any answer, only {@code server_data}
 *       (read-only) is sent again, on a new connection; a {@code command} is reported unreachable.</li>
 *   <li>No proxy, no redirects (a 3xx is a protocol error like any status but 200). A connection is kept
 *       ({@link IdleConnections}) only after a complete answer whose framing and headers allow it.</li>
 *   <li>TLS for {@code https://} agents: the settings' {@link VerifyingSocketFactory} (the configured CAs,
 *       host names checked in the handshake). A failed handshake is {@code UNREACHABLE} with the reason, and
 *       the call is never re-sent over http.</li>
 * </ul>
 *
 * <p>A new instance serves exactly one request (the library creates one per call through {@link
 * HardenedTransportFactory}), so the per-call fields need no synchronization.
 */
final class HardenedTransport extends XmlRpcHttpTransport {

  /** The most header bytes an agent may answer with. */
  static final int MAX_HEAD_BYTES = 64 * 1024;

  /** The only method sent again when a kept-alive connection turns out closed before answering. */
  private static final String READ_ONLY_METHOD = "server_data";

  private final TransportSettings settings;
  private final IdleConnections idle;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private CallConfig call;
  private Endpoint endpoint;
  private String method;
  private AgentConnection connection;
  private byte[] request;
  private ResponseBodies.Body body;
  private boolean keepAlive;
  /** The whole response was read and parsed: the connection may be kept for the next call. */
  private boolean complete;

  HardenedTransport(XmlRpcClient client, TransportSettings settings, IdleConnections idle) {
    super(client, settings.userAgent());
    this.settings = settings;
    this.idle = idle;
  }

  @Override
  public Object sendRequest(XmlRpcRequest request) throws XmlRpcException {
    if (!(request.getConfig() instanceof CallConfig)) {
      throw new XmlRpcClientException("agent calls need a CallConfig", null);
    }
    call = (CallConfig) request.getConfig();
    endpoint = Endpoint.of(call.getServerURL());
    method = request.getMethodName();
    return super.sendRequest(request);
  }

  @Override
  protected String getUserAgent() {
    return settings.userAgent();
  }

  @Override
  protected void setRequestHeader(String name, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header " + name + " has a line break");
    }
    headers.put(name, value);
  }

  @Override
  protected void setCredentials(XmlRpcHttpClientConfig config) {
    if (settings.authorization() != null) {
      setRequestHeader("Authorization", settings.authorization());
    }
  }

  @Override
  protected void setCompressionHeaders(XmlRpcHttpClientConfig config) {
    // never: a compressed body would defeat the size cap
  }

  @Override
  protected boolean isResponseGzipCompressed(XmlRpcStreamRequestConfig config) {
    return false;
  }

  /**
   * The library's writer of the request's XML (with its Content-Length), or the bytes this worker wrote for the
   * same call just before ({@link LastRequestBody}).
   */
  @Override
  protected ReqWriter newReqWriter(XmlRpcRequest pRequest) throws XmlRpcException, IOException, SAXException {
    String encoding = ((XmlRpcStreamRequestConfig) pRequest.getConfig()).getEncoding();
    LastRequestBody last = LastRequestBody.ofThisThread();
    byte[] written = last.reusableFor(pRequest, encoding);
    if (written == null) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
      super.newReqWriter(pRequest).write(bytes);
      written = bytes.toByteArray();
      last.remember(pRequest, encoding, written);
    }
    setContentLength(written.length);
    byte[] body = written;
    return out -> out.write(body);
  }

  /** Connects (or takes a kept connection) and sends the whole request in one write. */
  @Override
  protected void writeRequest(ReqWriter writer) throws IOException, XmlRpcException, SAXException {
    ByteArrayOutputStream bodyBytes = new ByteArrayOutputStream(512);
    writer.write(bodyBytes);
    request = request(bodyBytes);
    connection = idle.take(endpoint);
    if (connection != null) {
      call.abort().attach(connection);
      try {
        connection.out().write(request);
        connection.out().flush();
        return;
      } catch (IOException staleBeforeSending) {
        connection.close();
        if (!mayResend()) {
          throw staleBeforeSending;
        }
      }
    }
    sendOnNewConnection();
  }

  private void sendOnNewConnection() throws IOException {
    connection = connect();
    call.abort().attach(connection);
    connection.out().write(request);
    connection.out().flush();
  }

  /** Only the read-only discovery call goes out again after a kept connection failed before answering. */
  private boolean mayResend() {
    return READ_ONLY_METHOD.equals(method) && !call.abort().aborted() && !call.deadline().expired();
  }

  private AgentConnection connect() throws IOException {
    Deadline deadline = call.deadline();
    int connectMillis = (int) Math.min(settings.connectTimeoutMillis(), deadline.remainingSocketMillis());
    try {
      return AgentConnection.open(endpoint, connectMillis, deadline.remainingSocketMillis(), settings.tlsSockets(),
          call.abort());
    } catch (SocketTimeoutException e) {
      if (endpoint.tls() && deadline.expired()) {
        throw new AgentCallException(AgentCallException.Kind.TIMEOUT, "the TLS handshake with " + call.hostPort()
            + " did not finish within " + deadline.timeoutMillis() + " ms", e);
      }
      throw new AgentCallException(AgentCallException.Kind.UNREACHABLE, "no connection to " + call.hostPort()
          + " within " + connectMillis + " ms", e);
    } catch (SSLException e) {
      throw tlsFailure(e);
    }
  }

  private byte[] request(ByteArrayOutputStream body) throws IOException {
    URL url = call.getServerURL();
    String path = url.getFile().isEmpty() ? "/" : url.getFile();
    StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\nHost: ")
        .append(endpoint.hostHeader()).append("\r\n");
    headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    ByteArrayOutputStream all = new ByteArrayOutputStream(headBytes.length + body.size());
    all.write(headBytes);
    body.writeTo(all);
    return all.toByteArray();
  }

  private AgentCallException tlsFailure(SSLException e) {
    String message = TlsFailures.certificateProblem(e)
        .map(problem -> "the TLS certificate of " + call.hostPort() + " is not trusted (checked against "
            + settings.trusted() + " for host " + call.getServerURL().getHost() + "): " + problem)
        .orElse("TLS handshake with " + call.hostPort() + " failed (does it serve https?): " + e.getMessage());
    return new AgentCallException(AgentCallException.Kind.UNREACHABLE, message, e);
  }

  /** Reads the head (the status must be 200), then returns the body through the size and deadline caps. */
  @Override
  protected InputStream getInputStream() throws XmlRpcException {
    String from = call.getServerURL().toString();
    try {
      InputStream in = connection.in(call.deadline(), from);
      ResponseHead head;
      try {
        head = ResponseHead.read(in, MAX_HEAD_BYTES, from);
      } catch (SocketException closedWithoutAnswer) {
        if (!connection.reused() || !mayResend()) {
          throw closedWithoutAnswer;
        }
        connection.close();
        sendOnNewConnection();
        in = connection.in(call.deadline(), from);
        head = ResponseHead.read(in, MAX_HEAD_BYTES, from);
      }
      if (head.status() != 200) {
        throw new XmlRpcHttpTransportException(head.status(), "HTTP " + head.status() + " from " + from);
      }
      long length = head.contentLength(from);
      if (length > settings.maxResponseBytes()) {
        throw new ResponseLimitException(AgentCallException.Kind.PROTOCOL,
            "response exceeds " + settings.maxResponseBytes() + " bytes");
      }
      if (head.chunked()) {
        body = ResponseBodies.chunked(in, MAX_HEAD_BYTES);
      } else if (length >= 0) {
        body = ResponseBodies.fixedLength(in, length);
        keepAlive = head.keepsAlive();
      } else {
        body = ResponseBodies.untilClose(in);
      }
      return new BoundedResponseStream(body, settings.maxResponseBytes(), call.deadline(), from);
    } catch (SSLException e) {
      throw tlsFailure(e);
    } catch (IOException e) {
      throw new XmlRpcClientException("Failed to read server's response: " + e.getMessage(), e);
    }
  }

  @Override
  protected XMLReader newXMLReader() throws XmlRpcException {
    return SecureXmlReaders.reader();
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
   * Keeps the connection for the next call to the same agent after a complete answer read to its end, if the
   * agent allows it; drops it after anything else.
   */
  @Override
  protected void close() {
    AgentConnection used = connection;
    connection = null;
    if (used == null) {
      return;
    }
    if (complete && keepAlive && body != null && body.atEnd() && !call.abort().aborted()) {
      idle.release(used);
    } else {
      used.close();
    }
  }

}
