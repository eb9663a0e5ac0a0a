package dev.sessionhub.agent.impl;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * The {@code hub} object a session's Python sees when its agent knows its hub: a stock {@code xmlrpclib}
 * proxy, made at its first use (importing Jython's {@code xmlrpclib} took a session's first command from 1 s to
 * nearly 4 s, whether or not the command used the hub), so {@code hub.sessions(sel)},
 * {@code hub.command(address, code)} and {@code hub.broadcast(sel, code)} call the hub's XML-RPC methods of those
 * names, and one session can drive the others. An {@code https://} hub is verified by Python's own {@code ssl}
 * context: the agent's hub CA bundle when it has one, else the JVM's CAs.
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
    boolean verified = hubCaPath != null && "https".equalsIgnoreCase(uri.getScheme());
    String proxy = "xmlrpclib.ServerProxy(" + pythonString(base + "/RPC2") + ", allow_none=True"
        + (verified ? ", context=ssl.create_default_context(cafile=" + pythonString(hubCaPath) + ")" : "") + ").hub";
    String shown = pythonString("<hub " + uri.getScheme() + "://" + uri.getHost()
        + (uri.getPort() < 0 ? "" : ":" + uri.getPort()) + ">");
    return "class _SessionHub(object):\n"
        + "    '''This session's hub: hub.sessions(selector), hub.session(address), hub.command(address, code),\n"
        + "    hub.broadcast(selector, code[, timeout]), hub.job(id). xmlrpclib is imported at the first call.'''\n"
        + "    _proxy = None\n"
        + "    def __getattr__(self, name):\n"
        + "        if name.startswith('__'):\n"
        + "            raise AttributeError(name)\n"
        + "        proxy = type(self)._proxy\n"
        + "        if proxy is None:\n"
        + "            import " + (verified ? "ssl, " : "") + "xmlrpclib\n"
        + "            proxy = type(self)._proxy = " + proxy + "\n"
        + "        return getattr(proxy, name)\n"
        + "    def __repr__(self):\n"
        + "        return " + shown + "\n"
        + "hub = _SessionHub()\n"
        + "del _SessionHub\n";
  }

  private static String pythonString(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }
}
