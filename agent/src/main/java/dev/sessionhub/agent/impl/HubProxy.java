package dev.sessionhub.agent.impl;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code hub} object a session's Python sees when its agent knows its hub: a stock {@code xmlrpclib}
 * proxy, so {@code hub.sessions(sel)}, {@code hub.command(address, code)} and {@code hub.broadcast(sel, code)}
 * call the hub's XML-RPC methods of those names, and one session can drive the others. An {@code https://} hub is
 * verified by Python's own {@code ssl} context: the agent's hub CA bundle when it has one, else the JVM's CAs.
 */
final class HubProxy {

  private HubProxy() {
  }

  /**
   * Python that binds {@code hub} in the namespace, carrying the token in the URL when the hub URL has none, and
   * trusting the CAs in {@code hubCaPath} (when not null) for an {@code https://} hub.
   */
  static String setupCode(String hubUrl, String token, String hubCaPath) {
    URI uri = URI.create(hubUrl);
    String base = hubUrl.endsWith("/") ? hubUrl.substring(0, hubUrl.length() - 1) : hubUrl;
    if (uri.getUserInfo() == null && token != null) {
      base = uri.getScheme() + "://agent:" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "@"
          + base.substring(uri.getScheme().length() + 3);
    }
    if (hubCaPath != null && "https".equalsIgnoreCase(uri.getScheme())) {
      return "import ssl as _sessionhub_ssl, xmlrpclib as _sessionhub_xmlrpclib\n"
          + "hub = _sessionhub_xmlrpclib.ServerProxy(" + pythonString(base + "/RPC2") + ", allow_none=True, "
          + "context=_sessionhub_ssl.create_default_context(cafile=" + pythonString(hubCaPath) + ")).hub\n"
          + "del _sessionhub_ssl, _sessionhub_xmlrpclib\n";
    }
    return "import xmlrpclib as _sessionhub_xmlrpclib\n"
        + "hub = _sessionhub_xmlrpclib.ServerProxy(" + pythonString(base + "/RPC2") + ", allow_none=True).hub\n"
        + "del _sessionhub_xmlrpclib\n";
  }

  private static String pythonString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
