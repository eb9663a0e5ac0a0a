package dev.sessionhub.hub.client;

import dev.sessionhub.hub.client.AgentCallException.Kind;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Objects;

/**
 * Where one agent call goes, checked once: only {@code http}/{@code https} URLs with a host and no credentials
 * (the token travels in the options, never in a URL).
 *
 * @param url the URL as given, for messages
 * @param tls {@code https}
 * @param host the host, an IPv6 literal without its brackets
 * @param port the port, the scheme's default when the URL has none
 * @param path the request target: path and query, {@code /} when empty
 * @param hostPort {@code host:port} as the URL spells the host, for messages
 */
record AgentTarget(String url, boolean tls, String host, int port, String path, String hostPort) {

  /** Fails with {@link Kind#PROTOCOL} for anything but a plain http(s) URL with a host. */
  static AgentTarget parse(String url) {
    URI uri;
    try {
      uri = new URI(Objects.requireNonNull(url, "url"));
    } catch (URISyntaxException | NullPointerException e) {
      throw new AgentCallException(Kind.PROTOCOL, "bad agent URL: " + url, e);
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new AgentCallException(Kind.PROTOCOL, "agent URL must be http or https: " + url);
    }
    if (uri.getHost() == null) {
      throw new AgentCallException(Kind.PROTOCOL, "agent URL has no host: " + url);
    }
    if (uri.getRawUserInfo() != null) {
      throw new AgentCallException(Kind.PROTOCOL, "agent URL must not carry credentials; set the token option");
    }
    boolean tls = scheme.equals("https");
    int port = uri.getPort() < 0 ? (tls ? 443 : 80) : uri.getPort();
    String spelled = uri.getHost();
    String host = spelled.startsWith("[") && spelled.endsWith("]") ? spelled.substring(1, spelled.length() - 1)
        : spelled;
    String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    if (uri.getRawQuery() != null) {
      path += "?" + uri.getRawQuery();
    }
    return new AgentTarget(url, tls, host, port, path, spelled + ":" + port);
  }

  /** A POST of an XML-RPC body to this target; the caller adds the headers. */
  RequestOptions post() {
    return new RequestOptions().setMethod(HttpMethod.POST).setSsl(tls).setHost(host).setPort(port).setURI(path)
        .setFollowRedirects(false);
  }
}
