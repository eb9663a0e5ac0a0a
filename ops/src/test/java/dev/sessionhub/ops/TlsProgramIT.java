package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestPki;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real launcher with TLS everywhere: a {@code session --tls-cert --tls-key} found by a {@code hub --tls-cert
 * --tls-key --agent-tls --agent-ca} scan, a second TLS session announcing itself to the https hub with
 * {@code --hub-ca}, and the clients ({@code ls}, {@code send}, {@code scan}) verifying with {@code --hub-ca} /
 * {@code --agent-ca}, refusing without it.
 */
class TlsProgramIT {

  @TempDir
  static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static TestPki pki;
  private static String hubUrl;
  private static String wrongCaHubUrl;
  private static int base;
  private static int elsewherePort;
  private static int scannedPort;
  private static int announcedPort;

  @BeforeAll
  static void startFarm() throws Exception {
    pki = TestPki.create(dir);
    base = FreePorts.range(5);
    int announcedBase = FreePorts.range(5);
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    String[] tls = {"--tls-cert", pki.serverCert().toString(), "--tls-key", pki.serverKey().toString()};
    processes.add(Launcher.start(dir.resolve("hub.log"), concat(new String[] {"hub", "--http-port",
        String.valueOf(http), "--hz-port", String.valueOf(hz), "--cluster", "tls-it-" + http, "--scan",
        "127.0.0.1:" + base + "-" + (base + 4), "--scan-interval", "1s", "--agent-tls", "--agent-ca",
        pki.ca().toString(), "--ready-file", dir.resolve("hub.ready").toString()}, tls)));
    processes.add(Launcher.start(dir.resolve("scanned.log"), concat(new String[] {"session", "--base-port",
        String.valueOf(base), "--max-port", String.valueOf(base + 4), "--name", "scanned", "--port-file",
        dir.resolve("scanned.port").toString()}, tls)));
    // signed by the hubs' CA for another host name only: the hub cannot verify it is talking to 127.0.0.1
    processes.add(Launcher.start(dir.resolve("elsewhere.log"), new String[] {"session", "--base-port",
        String.valueOf(base + 3), "--max-port", String.valueOf(base + 4), "--name", "elsewhere", "--port-file",
        dir.resolve("elsewhere.port").toString(), "--tls-cert", pki.elsewhereCert().toString(), "--tls-key",
        pki.elsewhereKey().toString()}));
    // a second cluster whose hub trusts another CA, scanning the same ports: what `doctor` says to its operator
    int wrongCaHttp = FreePorts.one();
    int wrongCaHz = FreePorts.range(3);
    processes.add(Launcher.start(dir.resolve("wrong-ca-hub.log"), "hub", "--http-port",
        String.valueOf(wrongCaHttp), "--hz-port", String.valueOf(wrongCaHz), "--cluster", "tls-it-other-"
        + wrongCaHttp, "--scan", "127.0.0.1:" + base + "-" + (base + 4), "--scan-interval", "1s", "--agent-tls",
        "--agent-ca", pki.otherCa().toString(), "--ready-file", dir.resolve("wrong-ca-hub.ready").toString()));
    processes.add(Launcher.start(dir.resolve("announced.log"), concat(new String[] {"session", "--base-port",
        String.valueOf(announcedBase), "--max-port", String.valueOf(announcedBase + 4), "--name", "announced",
        "--hub", "https://127.0.0.1:" + http, "--hub-ca", pki.ca().toString(), "--port-file",
        dir.resolve("announced.port").toString()}, tls)));
    Poll.until(Duration.ofSeconds(90), "hub and sessions ready", () -> Files.exists(dir.resolve("hub.ready"))
        && Files.exists(dir.resolve("scanned.port")) && Files.exists(dir.resolve("announced.port"))
        && Files.exists(dir.resolve("elsewhere.port")) && Files.exists(dir.resolve("wrong-ca-hub.ready")));
    hubUrl = Files.readString(dir.resolve("hub.ready")).trim();
    wrongCaHubUrl = Files.readString(dir.resolve("wrong-ca-hub.ready")).trim();
    elsewherePort = Integer.parseInt(Files.readString(dir.resolve("elsewhere.port")).trim());
    scannedPort = Integer.parseInt(Files.readString(dir.resolve("scanned.port")).trim());
    announcedPort = Integer.parseInt(Files.readString(dir.resolve("announced.port")).trim());
    Poll.until(Duration.ofSeconds(30), "both sessions in the inventory", () -> {
      try {
        Launcher.Result r = Launcher.run(60, "ls", "--hub", hubUrl, "--hub-ca", pki.ca().toString(), "--json");
        return r.exitCode() == 0 && new JsonObject(r.stdout()).getInteger("count") == 2;
      } catch (Exception e) {
        return false;
      }
    });
  }

  @AfterAll
  static void stopFarm() throws Exception {
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      p.waitFor();
    }
  }

  private static String[] concat(String[] a, String[] b) {
    List<String> all = new ArrayList<>(List.of(a));
    all.addAll(List.of(b));
    return all.toArray(String[]::new);
  }

  @Test
  void everythingSaysHttpsAndTheClientsVerifyWithTheCa() throws Exception {
    assertTrue(hubUrl.startsWith("https://127.0.0.1:"), hubUrl);
    assertTrue(Files.readString(dir.resolve("scanned.log")).contains("listening on https://127.0.0.1:" + scannedPort),
        Files.readString(dir.resolve("scanned.log")));
    Launcher.Result ls = Launcher.run(60, "ls", "--hub", hubUrl, "--hub-ca", pki.ca().toString(), "--json");
    assertEquals(0, ls.exitCode(), ls.stderr());
    JsonObject listing = new JsonObject(ls.stdout());
    listing.getJsonArray("sessions").forEach(o -> assertTrue(((JsonObject) o).getString("url")
        .startsWith("https://"), ((JsonObject) o).encode()));

    for (int port : new int[] {scannedPort, announcedPort}) {
      Launcher.Result send = Launcher.run(60, "send", "127.0.0.1:" + port, "print(6 * 7)", "--hub", hubUrl,
          "--hub-ca", pki.ca().toString());
      assertEquals(0, send.exitCode(), send.stderr());
      assertEquals("42\n", send.stdout());
    }
  }

  @Test
  void withoutTheCaTheClientRefusesTheHubAndSaysWhatToPass() throws Exception {
    Launcher.Result ls = Launcher.run(60, "ls", "--hub", hubUrl);
    assertEquals(3, ls.exitCode(), ls.stdout());
    assertTrue(ls.stderr().contains("the hub's TLS certificate is not trusted"), ls.stderr());
    assertTrue(ls.stderr().contains("--hub-ca"), ls.stderr());

    Launcher.Result wrongCa = Launcher.run(60, "ls", "--hub", hubUrl, "--hub-ca", pki.otherCa().toString());
    assertEquals(3, wrongCa.exitCode(), wrongCa.stdout());
    assertTrue(wrongCa.stderr().contains("the CAs in " + pki.otherCa()), wrongCa.stderr());

    Launcher.Result plain = Launcher.run(60, "ls", "--hub", hubUrl.replace("https://", "http://"));
    assertEquals(3, plain.exitCode(), plain.stdout());
  }

  @Test
  void scanUsesHttpsOnlyWhenAskedAndVerifies() throws Exception {
    String targets = "127.0.0.1:" + base + "-" + (base + 4);
    Launcher.Result tls = Launcher.run(60, "scan", targets, "--agent-tls", "--agent-ca", pki.ca().toString(),
        "--json");
    assertEquals(0, tls.exitCode(), tls.stderr());
    JsonObject report = new JsonObject(tls.stdout());
    assertEquals(1, report.getJsonArray("sessions").size(), report.encode());
    assertEquals("https://127.0.0.1:" + scannedPort + "/",
        report.getJsonArray("sessions").getJsonObject(0).getString("url"));

    Launcher.Result untrusted = Launcher.run(60, "scan", targets, "--agent-tls", "--json");
    assertEquals(0, untrusted.exitCode(), untrusted.stderr());
    assertEquals(0, new JsonObject(untrusted.stdout()).getJsonArray("sessions").size(), untrusted.stdout());

    Launcher.Result plain = Launcher.run(60, "scan", targets, "--json");
    assertEquals(0, new JsonObject(plain.stdout()).getJsonArray("sessions").size(), plain.stdout());
  }

  /** {@code sessionhub doctor} once the hub has polled the address, as its operator would run it. */
  private static Launcher.Result doctorOnceMet(String hub, int port, String... hubCa) throws Exception {
    List<String> args = new ArrayList<>(List.of("doctor", "127.0.0.1:" + port, "--hub", hub));
    args.addAll(List.of(hubCa));
    Launcher.Result[] last = new Launcher.Result[1];
    Poll.until(Duration.ofSeconds(60), "the hub's poll of " + port + " is recorded", () -> {
      try {
        last[0] = Launcher.run(60, args.toArray(String[]::new));
      } catch (IOException | InterruptedException e) {
        throw new AssertionError("doctor did not run", e);
      }
      return last[0].stdout().contains("last outcome: poll");
    });
    return last[0];
  }

  @Test
  void doctorSaysTheAgentsCertificateIsNotSignedByTheCaTheHubTrusts() throws Exception {
    Launcher.Result r = doctorOnceMet(wrongCaHubUrl, scannedPort);
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: no"), r.stdout());
    assertTrue(r.stdout().contains("cause: TLS failed: "), r.stdout());
    assertTrue(r.stdout().contains("certificate"), r.stdout());
    assertTrue(r.stdout().contains("Fix: both sides must agree"), r.stdout());
  }

  @Test
  void doctorSaysTheAgentsCertificateNamesAnotherHost() throws Exception {
    Launcher.Result r = doctorOnceMet(hubUrl, elsewherePort, "--hub-ca", pki.ca().toString());
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: no"), r.stdout());
    assertTrue(r.stdout().contains("cause: TLS failed: "), r.stdout());
    assertTrue(r.stdout().contains("must name the host the hubs use"), r.stdout());
  }

  @Test
  void doctorSaysAVerifiedTlsSessionIsListed() throws Exception {
    Launcher.Result r = Launcher.run(60, "doctor", "127.0.0.1:" + scannedPort, "--hub", hubUrl, "--hub-ca",
        pki.ca().toString());
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: yes"), r.stdout());
  }

  @Test
  void halfATlsConfigurationIsABadUsage() throws Exception {
    Launcher.Result half = Launcher.run(60, "session", "--tls-cert", pki.serverCert().toString(),
        "--base-port", String.valueOf(FreePorts.one()));
    assertEquals(2, half.exitCode(), half.stdout());
    assertTrue(half.stderr().contains("--tls-cert and --tls-key"), half.stderr());
  }
}
