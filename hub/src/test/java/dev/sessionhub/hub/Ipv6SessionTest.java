package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A session on an IPv6 address ({@code [::1]:port}) is found by scanning {@code [::1]:ports}, listed under that
 * key, commanded through the hub (its owning hub found from the bracketed host), and explained by the diagnosis:
 * every place the hub reads an address goes through one value type, {@code HostPort}.
 */
class Ipv6SessionTest {

  private static HubCluster cluster;
  private static Agents agents;
  private static Agent agent;

  @BeforeAll
  static void start() throws Exception {
    assumeTrue(ipv6Loopback(), "this machine has no IPv6 loopback (::1)");
    int base = FreePorts.range(2);
    agents = new Agents();
    agent = agents.start(new AgentOptions().setBindAddress("::1").setBasePort(base).setMaxPort(base + 1));
    cluster = HubCluster.start(1, o -> o.addScanTarget("[::1]:" + base + "-" + (base + 1))
        .setScanInterval(Duration.ofMillis(300)));
    Poll.until(Duration.ofSeconds(20), "the IPv6 session listed", () -> HubApi.count(cluster.node(0).url(), "") == 1);
  }

  @AfterAll
  static void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
    if (agents != null) {
      agents.close();
    }
  }

  @Test
  void anIpv6SessionIsListedCommandedAndExplainedUnderItsBracketedAddress() {
    String hub = cluster.node(0).url();
    String address = "[::1]:" + agent.port();
    JsonObject listed = HubApi.sessions(hub, "").getJsonArray("sessions").getJsonObject(0);
    assertEquals(address, listed.getString("address"), listed.encode());

    String inPath = address.replace("[", "%5B").replace("]", "%5D");
    HubApi.Reply routed = HubApi.post(hub, "/api/sessions/" + inPath + "/command",
        new JsonObject().put("code", "print(6 * 7)"));
    assertEquals(200, routed.status(), routed.json().encode());
    JsonObject result = routed.json().getJsonArray("results").getJsonObject(0);
    assertEquals("ok", result.getString("state"), result.encode());
    assertEquals("42\n", result.getString("output"));

    HubApi.Reply broadcast = HubApi.post(hub, "/api/broadcast", new JsonObject().put("selector", "*")
        .put("code", "print('v6')"));
    assertEquals(200, broadcast.status(), broadcast.json().encode());
    assertEquals(1, broadcast.json().getJsonObject("counts").getInteger("ok"), broadcast.json().encode());

    HubApi.Reply diagnosed = HubApi.get(hub, "/api/diagnose/" + inPath);
    assertEquals(200, diagnosed.status(), diagnosed.json().encode());
    assertEquals(address, diagnosed.json().getString("address"));
    assertTrue(diagnosed.json().getBoolean("in_targets"), diagnosed.json().encode());
    HubApi.Reply bad = HubApi.get(hub, "/api/diagnose/::1:" + agent.port());
    assertEquals(400, bad.status(), "an IPv6 address without brackets is a clear 400: " + bad.json().encode());
  }

  private static boolean ipv6Loopback() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("::1"))) {
      return s.getInetAddress() instanceof Inet6Address;
    } catch (Exception e) {
      return false;
    }
  }
}
