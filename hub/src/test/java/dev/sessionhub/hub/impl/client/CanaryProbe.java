package dev.sessionhub.hub.impl.client;

import java.net.URL;
import java.time.Duration;
import java.util.List;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;

/**
 * Run in a child JVM <em>without</em> {@code -Djdk.serialFilter}, so the CVE-2019-17570 test does not depend on
 * the filter: first the stock Apache client meets a fault carrying a serialized {@link Canary} (the control,
 * which must deserialize it, proving the payload works), then the hardened client meets the same fault. Prints
 * {@code key=value} lines for the test to check.
 */
public final class CanaryProbe {

  private CanaryProbe() {
  }

  public static void main(String[] args) throws Exception {
    System.out.println("serialFilter=" + System.getProperty("jdk.serialFilter"));
    try (HostileServer server = HostileServer.start(HostileServer.xml(Canary.faultWithCause()))) {
      XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
      config.setServerURL(new URL(server.url()));
      XmlRpcClient stock = new XmlRpcClient();
      stock.setConfig(config);
      try {
        stock.execute("server_data", new Object[0]);
      } catch (XmlRpcException e) {
        System.out.println("stock.thrown=" + (e.getCause() == null ? e : e.getCause()).getClass().getName());
      } catch (RuntimeException e) {
        // The stock client rethrows a deserialized RuntimeException cause as it is.
        System.out.println("stock.thrown=" + e.getClass().getName());
      }
      System.out.println("stock.deserialized=" + Canary.deserialized);
      Canary.deserialized = false;

      TransportSettings settings = TransportSettings.of(new AgentClientOptions());
      XmlRpcInvoker hardened = new XmlRpcInvoker(settings, AgentHttpClients.create(settings, 1, 1, 1000));
      try {
        hardened.invoke(new CallConfig(new URL(server.url()), deadline(), 1000), "server_data", List.of());
      } catch (AgentCallException e) {
        System.out.println("hardened.kind=" + e.kind());
        System.out.println("hardened.code=" + e.faultCode());
        System.out.println("hardened.message=" + e.getMessage());
        System.out.println("hardened.cause=" + e.getCause());
      }
      System.out.println("hardened.deserialized=" + Canary.deserialized);
    }
  }

  private static Deadline deadline() {
    return Deadline.after(Duration.ofSeconds(10));
  }
}
