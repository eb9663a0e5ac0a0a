package dev.sessionhub.hub.impl.client;

import java.util.List;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * Makes one blocking XML-RPC call with the hardened Apache client and classifies its failure.
 *
 * <p>Why its own class: this is the only place that touches the library's client object; the asynchronous
 * machinery ({@link ApacheAgentClient}) knows nothing of XML-RPC, and the transport knows nothing of Vert.x.
 * One {@link XmlRpcClient} serves all threads: it is stateless per call once configured, and every call brings
 * its own {@link CallConfig}.
 */
final class XmlRpcInvoker {

  private final XmlRpcClient client;

  XmlRpcInvoker(TransportSettings settings, CloseableHttpClient http) {
    client = new XmlRpcClient();
    XmlRpcClientConfigImpl defaults = new XmlRpcClientConfigImpl();
    defaults.setEnabledForExtensions(false);
    defaults.setEnabledForExceptions(false);
    defaults.setContentLengthOptional(false);
    client.setConfig(defaults);
    client.setTypeFactory(new LenientTypeFactory(client));
    client.setTransportFactory(new HardenedTransportFactory(client, settings, http));
  }

  /** Blocks until the answer, a failure or the call's deadline; throws only {@link AgentCallException}. */
  Object invoke(CallConfig call, String method, List<Object> params) {
    try {
      return client.execute(call, method, params);
    } catch (XmlRpcException | RuntimeException | StackOverflowError e) {
      throw FailureMapper.map(e, call);
    }
  }
}
