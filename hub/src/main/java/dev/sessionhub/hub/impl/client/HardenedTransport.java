package dev.sessionhub.hub.impl.client;

import dev.sessionhub.shared.tls.TlsFailures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.EndpointDetails;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.util.Timeout;
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
 * The Apache XML-RPC client's HTTP transport for one call, sent through the client's pooled Apache HttpClient
 * ({@link AgentHttpClients}), with the XML-RPC library's unsafe defaults replaced.
 *
 * <ul>
 *   <li>Parsing: a reader that refuses DOCTYPEs and external entities ({@link SecureXmlReaders}) and a response
 *       parser that never deserializes a fault's {@code faultCause} ({@link FaultSafeResponseParser},
 *       CVE-2019-17570); a fault is thrown as code and message only ({@link AgentFault}).</li>
 *   <li>Limits: the deadline timer cancels the exchange in any phase ({@link ConnectionAbort}); waiting for a
 *       pooled connection is held to what is left of the deadline; the body is read through a {@link
 *       BoundedResponseStream} (the options' size, the deadline before every read), and a Content-Length beyond
 *       the size is refused before any of the body is read. Head limits are HttpClient's ({@link
 *       AgentHttpClients}).</li>
 *   <li>No silent re-send: the request has a Content-Length (HTTP/1.0 agents reject chunked bodies) and
 *       HttpClient never retries; a kept connection is checked without waiting before reuse ({@link
 *       CheckedConnection}). If it still turns out closed before any answer, only {@code server_data}
 *       (read-only) is sent again; a {@code command} is reported unreachable.</li>
 *   <li>A connection goes back to the pool only after its answer was parsed and its body read to the end;
 *       after anything else the exchange is cancelled, which closes it (and never reads on).</li>
 *   <li>TLS failures are {@code UNREACHABLE} with the reason; a call is never re-sent over http.</li>
 * </ul>
 *
 * <p>A new instance serves exactly one request (the library creates one per call through {@link
 * HardenedTransportFactory}), so the per-call fields need no synchronization.
 */
final class HardenedTransport extends XmlRpcHttpTransport {

  /** The only method sent again when a kept-alive connection turns out closed before answering. */
  static final String READ_ONLY_METHOD = "server_data";

  private final TransportSettings settings;
  private final CloseableHttpClient http;
  private final Map<String, String> headers = new LinkedHashMap<>();
  private CallConfig call;
  private String method;
  private byte[] body;
  private HttpPost post;
  private ClassicHttpResponse response;
  private HttpClientContext context;
  private BoundedResponseStream in;
  /** The whole response was parsed: the connection may be kept once the body is read to its end. */
  private boolean complete;

  HardenedTransport(XmlRpcClient client, TransportSettings settings, CloseableHttpClient http) {
    super(client, settings.userAgent());
    this.settings = settings;
    this.http = http;
  }

  @Override
  public Object sendRequest(XmlRpcRequest request) throws XmlRpcException {
    if (!(request.getConfig() instanceof CallConfig)) {
      throw new XmlRpcClientException("agent calls need a CallConfig", null);
    }
    call = (CallConfig) request.getConfig();
    method = request.getMethodName();
    return super.sendRequest(request);
  }

  @Override
  protected String getUserAgent() {
    return settings.userAgent();
  }

  /** Keeps the library's headers but Content-Length, which HttpClient writes from the body. */
  @Override
  protected void setRequestHeader(String name, String value) {
    if (value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
      throw new IllegalArgumentException("header " + name + " has a line break");
    }
    if (!name.equalsIgnoreCase("Content-Length")) {
      headers.put(name, value);
    }
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
   * The library's writer of the request's XML, or the bytes this worker wrote for the same call just before
   * ({@link LastRequestBody}).
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
    byte[] xml = written;
    return out -> out.write(xml);
  }

  /** Sends the request and waits for the response head (the one read-only re-send included). */
  @Override
  protected void writeRequest(ReqWriter writer) throws IOException, XmlRpcException, SAXException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(512);
    writer.write(bytes);
    body = bytes.toByteArray();
    try {
      response = exchange();
    } catch (NoHttpResponseException | SocketException closedBeforeAnswering) {
      if (!mayResend(closedBeforeAnswering)) {
        throw closedBeforeAnswering;
      }
      response = exchange();
    } catch (SSLException e) {
      throw tlsFailure(e);
    }
  }

  private ClassicHttpResponse exchange() throws IOException {
    try {
      post = new HttpPost(call.getServerURL().toURI());
    } catch (URISyntaxException e) {
      throw new AgentCallException(AgentCallException.Kind.PROTOCOL, "bad agent URL: " + call.getServerURL(), e);
    }
    headers.forEach(post::addHeader);
    post.setEntity(new ByteArrayEntity(body, null));
    call.abort().attach(post);
    long connectMillis = Math.min(call.connectTimeoutMillis(), call.deadline().remainingSocketMillis());
    context = HttpClientContext.create();
    context.setRequestConfig(requestConfig(connectMillis));
    try {
      return http.executeOpen(null, post, context);
    } catch (SSLException e) {
      throw tlsFailure(e);
    } catch (ConnectTimeoutException e) {
      throw new AgentCallException(AgentCallException.Kind.UNREACHABLE, "no connection to " + call.hostPort()
          + " within " + connectMillis + " ms", e);
    }
  }

  /**
   * Waiting for a pooled connection and connecting are held to what is left of the deadline; reads have no
   * socket timeout (see {@link AgentHttpClients}).
   */
  @SuppressWarnings("deprecation") // the per-request connect timeout: the connection config's is fixed
  private RequestConfig requestConfig(long connectMillis) {
    return RequestConfig.custom()
        .setConnectionRequestTimeout(Timeout.ofMilliseconds(call.deadline().remainingSocketMillis()))
        .setConnectTimeout(Timeout.ofMilliseconds(connectMillis))
        .setResponseTimeout(Timeout.DISABLED)
        .build();
  }

  /**
   * Only the read-only discovery call goes out again, only after a kept connection (one that carried an answer
   * before) closed before answering, and only while time is left.
   */
  private boolean mayResend(IOException failure) {
    EndpointDetails connection = context == null ? null : context.getEndpointDetails();
    return READ_ONLY_METHOD.equals(method) && connection != null && connection.getResponseCount() > 0
        && !(failure instanceof ConnectException) && !call.abort().aborted() && !call.deadline().expired();
  }

  private AgentCallException tlsFailure(SSLException e) {
    String message = TlsFailures.certificateProblem(e)
        .map(problem -> "the TLS certificate of " + call.hostPort() + " is not trusted (checked against "
            + settings.trusted() + " for host " + call.getServerURL().getHost() + "): " + problem)
        .orElse("TLS handshake with " + call.hostPort() + " failed (does it serve https?): " + e.getMessage());
    return new AgentCallException(AgentCallException.Kind.UNREACHABLE, message, e);
  }

  /** Checks the status (it must be 200) and returns the body through the size and deadline caps. */
  @Override
  protected InputStream getInputStream() throws XmlRpcException {
    String from = call.getServerURL().toString();
    try {
      if (response.getCode() != 200) {
        throw new XmlRpcHttpTransportException(response.getCode(), "HTTP " + response.getCode() + " from " + from);
      }
      HttpEntity entity = response.getEntity();
      if (entity == null) {
        throw new ResponseLimitException(AgentCallException.Kind.PROTOCOL, "no body in the response from " + from);
      }
      if (entity.getContentLength() > settings.maxResponseBytes()) {
        throw new ResponseLimitException(AgentCallException.Kind.PROTOCOL,
            "response exceeds " + settings.maxResponseBytes() + " bytes");
      }
      in = new BoundedResponseStream(entity.getContent(), settings.maxResponseBytes(), call.deadline(), from);
      return in;
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
  protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream input) throws XmlRpcException {
    XMLReader reader = newXMLReader();
    FaultSafeResponseParser parser = new FaultSafeResponseParser(config, getClient().getTypeFactory());
    reader.setContentHandler(parser);
    try {
      reader.parse(new InputSource(input));
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
   * After a parsed answer, reads what is left of the body (within the caps) so HttpClient keeps the connection
   * if the agent allows it; after anything else cancels the exchange, which closes the connection unread.
   */
  @Override
  protected void close() {
    ClassicHttpResponse used = response;
    response = null;
    if (used == null) {
      return;
    }
    boolean drained = complete && !call.abort().aborted() && drain();
    if (!drained) {
      post.cancel();
    }
    try {
      used.close();
    } catch (IOException ignored) {
      // the connection is gone either way
    }
  }

  private boolean drain() {
    if (in == null) {
      return false;
    }
    try {
      byte[] rest = new byte[512];
      while (in.read(rest) >= 0) {
        // trailing whitespace after the document, within the caps
      }
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
