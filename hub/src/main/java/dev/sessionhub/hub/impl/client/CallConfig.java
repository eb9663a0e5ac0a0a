package dev.sessionhub.hub.impl.client;

import java.net.URL;
import java.nio.charset.StandardCharsets;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * The Apache client configuration of one call: where to, its {@link Deadline}, and how long it waits for a
 * connection.
 *
 * <p>Why per call: the Apache transport reads everything it needs from the request's configuration, so a
 * configuration object is the one place a per-call deadline can travel to {@link HardenedTransport}. The
 * protocol settings are fixed here, for every call: extensions off (no Java-specific types, CVE-2016-5003),
 * exceptions off, Content-Length bodies (HTTP/1.0 agents such as Python's {@code SimpleXMLRPCServer} answer a
 * chunked request with HTTP 500), no gzip, UTF-8. The configuration's timeouts are not set: the library's
 * {@code HttpURLConnection} transport ignores them, so {@link HardenedTransport} applies the deadline itself.
 */
final class CallConfig extends XmlRpcClientConfigImpl {

  private static final long serialVersionUID = 1L;

  private final transient Deadline deadline;
  private final transient long connectTimeoutMillis;
  private final transient ConnectionAbort abort = new ConnectionAbort();

  CallConfig(URL url, Deadline deadline, long connectTimeoutMillis) {
    this.deadline = deadline;
    this.connectTimeoutMillis = connectTimeoutMillis;
    setServerURL(url);
    setEnabledForExtensions(false);
    setEnabledForExceptions(false);
    setContentLengthOptional(false);
    setGzipCompressing(false);
    setGzipRequesting(false);
    setEncoding(StandardCharsets.UTF_8.name());
  }

  Deadline deadline() {
    return deadline;
  }

  /** The longest wait for a connection (what is left of the deadline may be shorter). */
  long connectTimeoutMillis() {
    return connectTimeoutMillis;
  }

  /** How the deadline timer cuts this call's connection before the response body. */
  ConnectionAbort abort() {
    return abort;
  }

  /** {@code host:port} for messages. */
  String hostPort() {
    URL url = getServerURL();
    return url.getHost() + ":" + (url.getPort() < 0 ? url.getDefaultPort() : url.getPort());
  }
}
