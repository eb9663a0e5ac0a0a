package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestHost;
import dev.sessionhub.hub.testing.Agents;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A broadcast over 22 sessions on four loopback hosts of a two-hub cluster where one session sleeps past the
 * timeout, one raises and one dies mid-job: every target ends in exactly one of ok, error, timeout, unknown (the
 * one that died while running the command: it may have run, so never "unreachable", which says it did not), and
 * the job outlives the hub that ran it. Its own cluster, since it kills a hub.
 */
class JobOutcomesTest {

  private static final String CODE = "r = globals().get('role')\n"
      + "if r in ('slow', 'doomed'):\n    import time\n    time.sleep(60)\n"
      + "elif r == 'raise':\n    raise ValueError('boom in ' + str(r))\n"
      + "print('ok from', r)\n";

  private HubCluster cluster;
  private Agents agents;
  private Vertx doomedVertx;
  private TestHost doomedHost;
  private Agent doomed;

  @BeforeEach
  void start() throws Exception {
    int base = FreePorts.range(10);
    agents = new Agents();
    for (int i = 0; i < 21; i++) {
      agents.start(new AgentOptions().setBindAddress("127.0.0." + (1 + i % 4)).setBasePort(base)
          .setMaxPort(base + 9).addTag("group", i < 3 ? "py" : "farm"));
    }
    doomedVertx = Vertx.vertx();
    doomedHost = new TestHost("doomed");
    doomed = Agent.start(doomedVertx, new AgentOptions().setBindAddress("127.0.0.4").setBasePort(base)
        .setMaxPort(base + 9).addTag("group", "farm"), doomedHost).await(30, TimeUnit.SECONDS);
    cluster = HubCluster.start(2, o -> o.addScanTarget("127.0.0.1-4:" + base + "-" + (base + 9))
        .setScanInterval(Duration.ofSeconds(1)).setLease(Duration.ofSeconds(30)));
    Poll.until(Duration.ofSeconds(30), "22 sessions found",
        () -> HubApi.count(cluster.node(0).url(), "") == 22);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
    agents.close();
    doomedVertx.close().await(10, TimeUnit.SECONDS);
    doomedHost.close();
  }

  @Test
  void aBroadcastEndsEveryTargetInExactlyOneStateAndOutlivesItsHub() throws Exception {
    String hubA = cluster.node(0).url();
    JobsTest.route(hubA, JobsTest.address(agents.all().get(3)), "role = 'slow'");
    JobsTest.route(hubA, JobsTest.address(agents.all().get(4)), "role = 'raise'");
    JobsTest.route(hubA, JobsTest.address(doomed), "role = 'doomed'");

    HubApi.Reply started = HubApi.post(hubA, "/api/broadcast", new JsonObject().put("selector", "tag.group=*")
        .put("code", CODE).put("timeout", 4).put("wait", false));
    assertEquals(202, started.status(), started.json().encode());
    String jobId = started.json().getString("id");
    assertEquals(22, started.json().getInteger("target_count"));
    Poll.until(Duration.ofSeconds(10), "most targets done", () -> HubApi.get(hubA, "/api/jobs/" + jobId).json()
        .getJsonObject("counts").getInteger("ok") >= 19);
    doomedVertx.close().await(10, TimeUnit.SECONDS);

    Poll.until(Duration.ofSeconds(20), "the job is done", () -> "done".equals(
        HubApi.get(hubA, "/api/jobs/" + jobId).json().getString("state")));
    JsonObject job = HubApi.get(hubA, "/api/jobs/" + jobId).json();
    Map<String, JsonObject> byAddress = new HashMap<>();
    job.getJsonArray("results").forEach(o -> byAddress.put(((JsonObject) o).getString("address"), (JsonObject) o));
    assertEquals(22, byAddress.size(), "one result per target");
    assertEquals("timeout", byAddress.get(JobsTest.address(agents.all().get(3))).getString("state"));
    JsonObject raised = byAddress.get(JobsTest.address(agents.all().get(4)));
    assertEquals("error", raised.getString("state"));
    assertEquals(1, raised.getInteger("fault_code"));
    assertTrue(raised.getString("message").startsWith("ValueError: boom in raise"), raised.encode());
    JsonObject died = byAddress.get(JobsTest.address(doomed));
    assertEquals("unknown", died.getString("state"), died.encode());
    assertTrue(died.getString("message").contains("may have run"), died.encode());
    assertEquals(new JsonObject().put("ok", 19).put("error", 1).put("timeout", 1).put("unreachable", 0)
        .put("unknown", 1).put("cancelled", 0).put("skipped", 0).put("pending", 0).put("finished_after_cancel", 0),
        job.getJsonObject("counts"));
    byAddress.values().stream().filter(r -> r.getString("state").equals("ok"))
        .forEach(r -> assertEquals("ok from None\n", r.getString("output")));
    assertTrue(byAddress.get(JobsTest.address(agents.all().get(3))).getString("message").contains("interrupted"),
        "the session stopped the code itself at the job's timeout");
    long free = System.nanoTime();
    JsonObject next = JobsTest.route(hubA, JobsTest.address(agents.all().get(3)), "print('free again')");
    assertEquals("free again\n", next.getJsonArray("results").getJsonObject(0).getString("output"));
    assertTrue((System.nanoTime() - free) / 1_000_000 < 5000, "not stuck behind the 60 s sleep");

    HubCluster.Node coordinator = cluster.node(0);
    cluster.kill(coordinator);
    JsonObject readBack = HubApi.get(cluster.node(0).url(), "/api/jobs/" + jobId).json();
    assertEquals(job.getJsonObject("counts"), readBack.getJsonObject("counts"),
        "the job reads the same through the other hub after its coordinator died");
    assertEquals(22, readBack.getJsonArray("results").size());
  }
}
