package dev.sessionhub.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hub's options: one group per concern, a JSON round trip without the token, validation per group. */
class HubOptionsTest {

  @TempDir
  Path dir;

  @Test
  void everyGroupSurvivesAJsonRoundTripAndTheTokenIsNeverWritten() throws Exception {
    Path cert = Files.writeString(dir.resolve("hub.pem"), "cert");
    Path key = Files.writeString(dir.resolve("hub.key"), "key");
    HubOptions options = new HubOptions().setToken("s3cret").setHttpPort(7801).setBindAddress("0.0.0.0")
        .setTlsCertPath(cert.toString()).setTlsKeyPath(key.toString()).setOpenDiscovery(true).setOpenMetrics(true)
        .setMaxBodyBytes(4096).setRequestReadTimeout(Duration.ofSeconds(3)).setRateLimit(5.5).setRateBurst(9)
        .setMaxStreamsPerClient(2).setMaxInFlightPerClient(3)
        .addScanTarget("render[01-02]:8000-8002").setScanInterval(Duration.ofSeconds(2))
        .setLease(Duration.ofSeconds(30)).setProbeTimeout(Duration.ofMillis(250))
        .setPollTimeout(Duration.ofSeconds(1)).setHeartbeatInterval(Duration.ofSeconds(4)).setMaxInFlight(10)
        .setAgentCalls(64).setAgentTls(true).setAgentCaPath(cert.toString())
        .setClusterName("studio").setHazelcastPort(5801).addMember("10.0.0.2").addTrustedMember("10.0.0.0/24")
        .setJobTtl(Duration.ofHours(2)).setAuditLog(dir.resolve("audit.jsonl").toString());

    JsonObject json = options.toJson();
    assertFalse(json.encode().contains("s3cret"), "the token is never written: " + json.encode());
    assertTrue(json.getBoolean("tokenSet"));
    HubOptions back = new HubOptions(json);
    assertEquals(json.copy().put("tokenSet", false), back.toJson(),
        "what is read back writes the same JSON (the token was not in it)");
    assertNull(back.getToken());
    assertEquals("s3cret", new HubOptions(options).getToken(), "a copy keeps the token");
    assertEquals(json, new HubOptions(options).toJson());

    assertEquals(7801, back.getHttp().getPort());
    assertEquals(cert.toString(), back.getHttp().getTls().getCertPath());
    assertEquals(Duration.ofSeconds(30), back.getDiscovery().getLease());
    assertEquals(64, back.getDiscovery().getAgentCalls());
    assertEquals("studio", back.getCluster().getName());
    assertEquals(java.util.List.of("10.0.0.0/24"), back.getCluster().getTrustedMembers());
    assertEquals(Duration.ofHours(2), back.getJobs().getJobTtl());
    options.validate();
  }

  @Test
  void anUnsetLeaseFollowsTheScanIntervalAlsoAfterACopy() {
    HubOptions options = new HubOptions().setScanInterval(Duration.ofSeconds(2));
    assertEquals(DiscoveryOptions.defaultLease(Duration.ofSeconds(2)), options.getDiscovery().getLease());
    HubOptions copy = new HubOptions(options);
    copy.setScanInterval(Duration.ofSeconds(10));
    assertEquals(Duration.ofSeconds(30), copy.getDiscovery().getLease(),
        "a copied default lease is still the default, not the old interval's lease frozen");
    assertEquals(Duration.ofSeconds(20), new HubOptions().getDiscovery().getLease(), "the default: 20 s for 5 s scans");
  }

  @Test
  void eachGroupRefusesWhatItCannotUseWithAClearMessage() throws Exception {
    assertEquals("http port 70000 is outside 0-65535",
        assertThrows(IllegalArgumentException.class, () -> new HubOptions().setHttpPort(70000)).getMessage());
    assertEquals("agent calls must be between 1 and 4096, got 0",
        assertThrows(IllegalArgumentException.class, () -> new HubOptions().setAgentCalls(0)).getMessage());
    assertEquals("cluster name is empty",
        assertThrows(IllegalArgumentException.class, () -> new ClusterOptions().setName(" ")).getMessage());
    assertEquals("job TTL must be positive, got PT0S",
        assertThrows(IllegalArgumentException.class, () -> new HubOptions().setJobTtl(Duration.ZERO)).getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubOptions().setBindAddress("0.0.0.0")
        .validate()).getMessage().contains("set a token"), "a hub beyond this machine needs a token");
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubOptions()
        .setTlsCertPath(Files.writeString(dir.resolve("only.pem"), "c").toString()).validate()).getMessage()
        .contains("both a certificate and a private key"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubOptions()
        .setScanInterval(Duration.ofSeconds(10)).setLease(Duration.ofSeconds(5)).validate()).getMessage()
        .contains("must be longer than the scan interval"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new HubOptions()
        .setAgentCaPath(dir.resolve("missing.pem").toString()).validate()).getMessage()
        .contains("agent CA bundle"));
    assertThrows(IllegalArgumentException.class, () -> new HubOptions(new JsonObject()
        .put("discovery", new JsonObject().put("agentCalls", -1))), "JSON is validated as setters are");
  }
}
