package dev.sessionhub.hub.impl.client;

import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcTransport;
import org.apache.xmlrpc.client.XmlRpcTransportFactory;

/**
 * Installs {@link HardenedTransport} in an Apache {@link XmlRpcClient}: a new transport for every call, as the
 * library's own Sun transport factory does, since a transport holds its call's exchange.
 */
final class HardenedTransportFactory implements XmlRpcTransportFactory {

  private final XmlRpcClient client;
  private final TransportSettings settings;
  private final CloseableHttpClient http;

  HardenedTransportFactory(XmlRpcClient client, TransportSettings settings, CloseableHttpClient http) {
    this.client = client;
    this.settings = settings;
    this.http = http;
  }

  @Override
  public XmlRpcTransport getTransport() {
    return new HardenedTransport(client, settings, http);
  }
}
