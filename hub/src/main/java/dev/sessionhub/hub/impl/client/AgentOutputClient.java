package dev.sessionhub.hub.impl.client;

import dev.sessionhub.shared.xmlrpc.CodecLimits;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Follows commands' output on agents ({@code output(id, cursor, wait)}, agent contract 0.3) without a thread per
 * call: a long poll waits on the agent for seconds, so these calls go through Vert.x's asynchronous HTTP client,
 * not the worker pool of {@link AgentClient} that the commands themselves hold. The same hardening as every agent
 * call: the token as Basic password, verified TLS (the options' CA bundle or the JDK's), the hardened codec (no
 * DOCTYPE), and a bounded answer.
 */
public final class AgentOutputClient implements AutoCloseable {

  /** What one answer of {@code output} said. */
  public record Slice(String state, String text, long cursor, long skipped, boolean more) {
    /** The command has ended (or the agent no longer knows it) and nothing more is waiting. */
    public boolean finished() {
      return ("ended".equals(state) || "unknown".equals(state)) && !more;
    }
  }

  /** The largest answer read: 64 Ki characters of text, escaped, in UTF-8, with room for the struct. */
  static final int MAX_ANSWER_BYTES = 2 << 20;

  private final HttpClient http;
  private final HttpClient https;
  private final XmlRpcCodec codec = new XmlRpcCodec(new CodecLimits(CodecLimits.DEFAULT_MAX_DEPTH,
      MAX_ANSWER_BYTES));
  private final String authorization;

  public AgentOutputClient(Vertx vertx, AgentClientOptions options) {
    HttpClientOptions plain = new HttpClientOptions()
        .setConnectTimeout((int) options.getConnectTimeout().toMillis())
        .setKeepAlive(true).setKeepAliveTimeout((int) Math.max(1, options.getKeepAlive().toSeconds()));
    HttpClientOptions secure = new HttpClientOptions(plain).setSsl(true).setVerifyHost(true).setTrustAll(false);
    if (options.getCaPath() != null) {
      secure.setTrustOptions(new PemTrustOptions().addCertPath(options.getCaPath()));
    }
    PoolOptions pool = new PoolOptions().setHttp1MaxSize(4);
    this.http = vertx.createHttpClient(plain, pool);
    this.https = vertx.createHttpClient(secure, pool);
    this.authorization = options.getToken() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
        (AgentClientOptions.BASIC_AUTH_USER + ":" + options.getToken()).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * {@code output(id, cursor, wait)} on the agent at {@code url}; fails with {@link AgentCallException} (a fault,
   * an unreachable agent, an answer that is not the contract's struct or is too large).
   */
  public Future<Slice> output(String url, String id, long cursor, Duration wait) {
    URI uri;
    try {
      uri = URI.create(url);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(new AgentCallException(AgentCallException.Kind.UNREACHABLE, "bad agent url "
          + url, e));
    }
    boolean tls = "https".equalsIgnoreCase(uri.getScheme());
    RequestOptions request = new RequestOptions().setMethod(HttpMethod.POST).setHost(uri.getHost())
        .setPort(uri.getPort() > 0 ? uri.getPort() : tls ? 443 : 80).setURI(uri.getRawPath() == null
            || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
        .setIdleTimeout(wait.plusSeconds(5).toMillis()).putHeader("Content-Type", "text/xml");
    if (authorization != null) {
      request.putHeader("Authorization", authorization);
    }
    Object wireCursor = cursor <= Integer.MAX_VALUE ? (Object) (int) cursor : (Object) cursor;
    Buffer body = Buffer.buffer(codec.encodeCall("output", List.of(id, wireCursor, wait.toMillis() / 1000.0)));
    return (tls ? https : http).request(request)
        .compose(req -> req.send(body))
        .compose(AgentOutputClient::boundedBody)
        .transform(ar -> ar.succeeded() ? decode(ar.result()) : Future.failedFuture(
            ar.cause() instanceof AgentCallException e ? e : new AgentCallException(
                AgentCallException.Kind.UNREACHABLE, String.valueOf(ar.cause().getMessage()), ar.cause())));
  }

  private static Future<Buffer> boundedBody(HttpClientResponse response) {
    if (response.statusCode() != 200) {
      return Future.failedFuture(new AgentCallException(AgentCallException.Kind.PROTOCOL,
          "agent answered HTTP " + response.statusCode()));
    }
    Promise<Buffer> body = Promise.promise();
    Buffer read = Buffer.buffer();
    response.handler(chunk -> {
      if (read.length() + chunk.length() > MAX_ANSWER_BYTES) {
        body.tryFail(new AgentCallException(AgentCallException.Kind.PROTOCOL,
            "output answer larger than " + MAX_ANSWER_BYTES + " bytes"));
        response.request().reset();
      } else {
        read.appendBuffer(chunk);
      }
    });
    response.endHandler(v -> body.tryComplete(read));
    response.exceptionHandler(body::tryFail);
    return body.future();
  }

  private Future<Slice> decode(Buffer body) {
    try {
      XmlRpcResponse answer = codec.decodeResponse(body.getBytes());
      if (answer.isFault()) {
        return Future.failedFuture(AgentCallException.fault(answer.fault().code(), answer.fault().message()));
      }
      if (answer.value() instanceof Map<?, ?> m && m.get("state") instanceof String state
          && m.get("text") instanceof String text && m.get("cursor") instanceof Number cursor
          && m.get("skipped") instanceof Number skipped && m.get("more") instanceof Boolean more) {
        return Future.succeededFuture(new Slice(state, text, cursor.longValue(), skipped.longValue(), more));
      }
      return Future.failedFuture(new AgentCallException(AgentCallException.Kind.PROTOCOL,
          "output answered something other than {state, text, cursor, skipped, more}"));
    } catch (Exception e) {
      return Future.failedFuture(new AgentCallException(AgentCallException.Kind.PROTOCOL,
          "output answer could not be read: " + e.getMessage(), e));
    }
  }

  @Override
  public void close() {
    http.close();
    https.close();
  }
}
