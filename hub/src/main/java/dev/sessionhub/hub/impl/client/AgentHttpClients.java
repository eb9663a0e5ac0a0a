package dev.sessionhub.hub.impl.client;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.DefaultHttpClientConnectionOperator;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.io.HttpClientConnectionOperator;
import org.apache.hc.client5.http.io.ManagedHttpClientConnection;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.impl.DefaultConnectionReuseStrategy;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.config.RegistryBuilder;
import org.apache.hc.core5.http.io.HttpConnectionFactory;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Builds the one Apache HttpClient (classic, blocking) that carries every agent call of a client.
 *
 * <ul>
 *   <li>Pool: at most one connection per worker to an agent (see {@link #create}); a connection idle longer
 *       than the keep-alive is closed; every reuse is checked first ({@link CheckedConnection}, validate after
 *       0 ms of inactivity), newest first (LIFO).</li>
 *   <li>Nothing automatic: no retries (a {@code command} is never sent twice; {@link HardenedTransport} decides
 *       the one read-only retry), no redirects, no cookies, no content decompression (a gzip body would defeat
 *       the size cap; none is asked for), no proxy, no authentication challenges (the token goes as a header).</li>
 *   <li>Limits: a response line or header line of at most {@link #MAX_LINE_BYTES}, at most {@link
 *       #MAX_HEADERS} headers; the connect timeout is the options' (capped by the call's deadline). The TLS
 *       handshake and reads have no socket timeout: the call's deadline timer cancels the request, and the body
 *       stream checks the deadline before every read (a timed read on a channel socket costs four more system
 *       calls per read).</li>
 *   <li>TLS: the settings' {@code SSLContext} (the CA bundle's trust, or the JDK's) and host names checked by
 *       the JDK inside the handshake, so a wrong host fails like an untrusted certificate, with its reason.</li>
 * </ul>
 */
final class AgentHttpClients {

  /** The longest status or header line an agent may answer with. */
  static final int MAX_LINE_BYTES = 8 * 1024;
  /** The most header lines an agent may answer with (with {@link #MAX_LINE_BYTES}, 800 KiB at most). */
  static final int MAX_HEADERS = 100;

  private static final AtomicLong IDS = new AtomicLong();

  private AgentHttpClients() {
  }

  /**
   * A client for {@code workers} concurrent calls that keeps at most {@code maxIdle} connections (none if 0) for
   * {@code keepAliveMillis} each. A connection per worker to one agent, and {@code max(workers, maxIdle)} in
   * all: HttpClient's pool counts connections in use and idle together.
   */
  static CloseableHttpClient create(TransportSettings settings, int workers, int maxIdle, long keepAliveMillis) {
    boolean reuse = maxIdle > 0 && keepAliveMillis > 0;
    Http1Config http1 = Http1Config.custom().setMaxLineLength(MAX_LINE_BYTES).setMaxHeaderCount(MAX_HEADERS)
        .setMaxEmptyLineCount(0).build();
    HttpConnectionFactory<ManagedHttpClientConnection> connections =
        socket -> new CheckedConnection("agent-" + IDS.incrementAndGet(), http1);
    TlsSocketStrategy tls = new DefaultClientTlsStrategy(settings.tls(), HostnameVerificationPolicy.BUILTIN, null);
    PoolingHttpClientConnectionManager pool = new PoolingHttpClientConnectionManagerBuilder() {
      @Override
      protected HttpClientConnectionOperator createConnectionOperator(
          org.apache.hc.client5.http.SchemePortResolver schemes, org.apache.hc.client5.http.DnsResolver dns,
          TlsSocketStrategy ignored) {
        return new DefaultHttpClientConnectionOperator(new ChannelSockets(), schemes, dns,
            RegistryBuilder.<TlsSocketStrategy>create().register(URIScheme.HTTPS.id, tls).build());
      }
    }.setConnectionFactory(connections)
        .setTlsSocketStrategy(tls)
        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
        .setConnPoolPolicy(PoolReusePolicy.LIFO)
        .setMaxConnPerRoute(workers)
        .setMaxConnTotal(Math.max(workers, maxIdle))
        .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).setSoTimeout(Timeout.DISABLED).build())
        .setDefaultConnectionConfig(ConnectionConfig.custom()
            .setConnectTimeout(Timeout.ofMilliseconds(settings.connectTimeoutMillis()))
            .setSocketTimeout(Timeout.DISABLED)
            .setValidateAfterInactivity(TimeValue.ZERO_MILLISECONDS)
            .setTimeToLive(TimeValue.NEG_ONE_MILLISECOND)
            .build())
        .setDefaultTlsConfig(TlsConfig.custom()
            .setHandshakeTimeout(Timeout.DISABLED).build()) // held to the call's deadline by its timer
        .build();
    return HttpClients.custom()
        .setConnectionManager(pool)
        .disableAutomaticRetries()
        .disableRedirectHandling()
        .disableCookieManagement()
        .disableContentCompression()
        .disableAuthCaching()
        .disableConnectionState()
        .setConnectionReuseStrategy((request, response, context) -> reuse
            && DefaultConnectionReuseStrategy.INSTANCE.keepAlive(request, response, context))
        .setKeepAliveStrategy((response, context) -> TimeValue.ofMilliseconds(keepAliveMillis))
        .evictIdleConnections(TimeValue.ofMilliseconds(Math.max(1000, keepAliveMillis)))
        .build();
  }
}
