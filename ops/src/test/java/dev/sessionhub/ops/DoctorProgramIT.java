package dev.sessionhub.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.agent.testing.TestPki;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
 * {@code sessionhub doctor} through the real launcher against a real hub whose targets hold one real listener of
 * each kind: a session, a refused port, a plain HTTP server, a raw TCP echo, a session with another token, an https
 * session (the hub calls agents over http), python3's XML-RPC server answering a server_data() that is not a
 * session's, and a session that announced itself and then froze (SIGSTOP) until its lease ran out; plus an
 * address outside the targets and a name that does not resolve. Each is explained by its cause, with exit 0 only
 * for the listed session.
 */
class DoctorProgramIT {

  @TempDir
  static Path dir;
  private static final List<Process> processes = new ArrayList<>();
  private static final List<Socket> echoed = new ArrayList<>();
  private static String hubUrl;
  private static int base;
  private static HttpServer web;
  private static ServerSocket echo;
  private static Process notASession;
  private static Process announced;

  @BeforeAll
  static void start() throws Exception {
    base = FreePorts.range(10);
    Files.writeString(dir.resolve("token"), "doctor-farm-token-0123456789\n");
    Files.writeString(dir.resolve("other-token"), "another-token-9876543210\n");
    for (String f : List.of("token", "other-token")) {
      Files.setPosixFilePermissions(dir.resolve(f), java.nio.file.attribute.PosixFilePermissions.fromString(
          "rw-------"));
    }
    web = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), base + 2), 16);
    web.createContext("/", exchange -> {
      byte[] body = "<html>not an agent</html>".getBytes();
      exchange.sendResponseHeaders(404, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    web.start();
    echo = new ServerSocket(base + 3, 16, InetAddress.getLoopbackAddress());
    Thread echoer = new Thread(DoctorProgramIT::echoAll, "echo");
    echoer.setDaemon(true);
    echoer.start();
    processes.add(Launcher.start(dir.resolve("good.log"), "session", "--base-port", String.valueOf(base),
        "--max-port", String.valueOf(base), "--token-file", dir.resolve("token").toString(),
        "--port-file", dir.resolve("good.port").toString()));
    // an https session, scanned by a hub that calls agents over plain http
    TestPki pki = TestPki.create(dir);
    processes.add(Launcher.start(dir.resolve("tls.log"), "session", "--base-port", String.valueOf(base + 5),
        "--max-port", String.valueOf(base + 5), "--token-file", dir.resolve("token").toString(), "--tls-cert",
        pki.serverCert().toString(), "--tls-key", pki.serverKey().toString(), "--port-file",
        dir.resolve("tls.port").toString()));
    // an XML-RPC server (python3's own) whose server_data() is not a session's: no exe
    notASession = new ProcessBuilder("python3", "-c", "from xmlrpc.server import SimpleXMLRPCServer as S\n"
        + "s = S(('127.0.0.1', " + (base + 6) + "), logRequests=False)\n"
        + "s.register_function(lambda: {'name': 'license server'}, 'server_data')\n"
        + "s.serve_forever()").redirectErrorStream(true).redirectOutput(dir.resolve("xmlrpc.log").toFile()).start();
    processes.add(notASession);
    processes.add(Launcher.start(dir.resolve("other.log"), "session", "--base-port", String.valueOf(base + 4),
        "--max-port", String.valueOf(base + 4), "--token-file", dir.resolve("other-token").toString(),
        "--port-file", dir.resolve("other.port").toString()));
    int http = FreePorts.one();
    int hz = FreePorts.range(3);
    processes.add(Launcher.start(dir.resolve("hub.log"), "hub", "--http-port", String.valueOf(http),
        "--hz-port", String.valueOf(hz), "--cluster", "doctor-" + http, "--scan",
        "127.0.0.1:" + base + "-" + (base + 6), "--scan-interval", "1s", "--token-file",
        dir.resolve("token").toString(), "--ready-file", dir.resolve("hub.ready").toString()));
    Poll.until(Duration.ofSeconds(90), "hub and sessions ready", () -> Files.exists(dir.resolve("hub.ready"))
        && Files.exists(dir.resolve("good.port")) && Files.exists(dir.resolve("other.port"))
        && Files.exists(dir.resolve("tls.port")));
    hubUrl = Files.readString(dir.resolve("hub.ready")).trim();
    // outside the scanned ports: known only by announcing itself
    announced = Launcher.start(dir.resolve("announced.log"), "session", "--base-port", String.valueOf(base + 9),
        "--max-port", String.valueOf(base + 9), "--token-file", dir.resolve("token").toString(), "--hub", hubUrl,
        "--port-file", dir.resolve("announced.port").toString());
    processes.add(announced);
    Poll.until(Duration.ofSeconds(60), "the polls of the open ports are recorded", () -> {
      try {
        return doctor("127.0.0.1:" + (base + 4)).stdout().contains("last outcome: poll")
            && doctor("127.0.0.1:" + (base + 3)).stdout().contains("last outcome: poll")
            && doctor("127.0.0.1:" + (base + 2)).stdout().contains("last outcome: poll")
            && doctor("127.0.0.1:" + (base + 5)).stdout().contains("last outcome: poll")
            && doctor("127.0.0.1:" + (base + 6)).stdout().contains("last outcome: poll");
      } catch (Exception e) {
        return false;
      }
    });
  }

  private static void echoAll() {
    while (!echo.isClosed()) {
      try {
        Socket s = echo.accept();
        synchronized (echoed) {
          echoed.add(s);
        }
        Thread t = new Thread(() -> {
          try (InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            in.transferTo(out);
          } catch (IOException ignored) {
            // the client hung up
          }
        }, "echo-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException closed) {
        return;
      }
    }
  }

  @AfterAll
  static void stop() throws Exception {
    signal("CONT", announced);
    for (Process p : processes) {
      p.destroy();
    }
    for (Process p : processes) {
      p.waitFor();
    }
    web.stop(0);
    echo.close();
    synchronized (echoed) {
      for (Socket s : echoed) {
        s.close();
      }
    }
  }

  private static Launcher.Result doctor(String address) throws Exception {
    return Launcher.run(60, "doctor", address, "--hub", hubUrl, "--token-file", dir.resolve("token").toString());
  }

  private static void assertExplained(String address, String cause) throws Exception {
    Launcher.Result r = doctor(address);
    assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: no"), r.stdout());
    assertTrue(r.stdout().contains(cause), "expected '" + cause + "' in:\n" + r.stdout() + r.stderr());
    assertTrue(r.stdout().contains("Fix: "), r.stdout());
  }

  @Test
  void aListedSessionExitsZero() throws Exception {
    String port = Files.readString(dir.resolve("good.port")).trim();
    Launcher.Result r = doctor("127.0.0.1:" + port);
    assertEquals(0, r.exitCode(), r.stdout() + r.stderr());
    assertTrue(r.stdout().startsWith("listed: yes: headless"), r.stdout());
  }

  @Test
  void aRefusedPortIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 1), "nothing listens on that port (connection refused");
  }

  @Test
  void aPlainHttpServerIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 2), "an HTTP server that is not a SessionHub agent answers there "
        + "(HTTP 404)");
  }

  @Test
  void aRawTcpEchoIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 3), "something listens but does not speak HTTP and XML-RPC");
  }

  @Test
  void aTokenMismatchIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 4), "the session requires a token, and the hubs' token is missing or "
        + "different");
  }

  @Test
  void tlsOnTheSessionOnlyIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 5), "TLS on one side only");
  }

  @Test
  void anXmlRpcServerThatIsNotASessionIsExplained() throws Exception {
    assertExplained("127.0.0.1:" + (base + 6), "an XML-RPC server answers, but server_data() is not a session");
  }

  @Test
  void anAnnouncedSessionWhoseHeartbeatsStoppedIsExplainedAfterItsLeaseRanOut() throws Exception {
    String address = "127.0.0.1:" + (base + 9);
    Poll.until(Duration.ofSeconds(60), "the announced session is listed", () -> {
      try {
        return doctor(address).exitCode() == 0;
      } catch (Exception e) {
        return false;
      }
    });
    signal("STOP", announced);
    Launcher.Result[] last = new Launcher.Result[1];
    // the hub's lease (3 scan intervals, at least the interval + 15 s) runs out, then the record is gone
    try {
      Poll.until(Duration.ofSeconds(90), "the hub gives the frozen session up", () -> {
        try {
          last[0] = doctor(address);
          return last[0].exitCode() == 1 && last[0].stdout().contains("last outcome: lease heartbeats_stopped");
        } catch (Exception e) {
          return false;
        }
      });
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; doctor's last answer:\n"
          + (last[0] == null ? "none" : last[0].stdout() + last[0].stderr()), e);
    }
    assertTrue(last[0].stdout().contains("is not in any hub's scan targets"), last[0].stdout());
    assertTrue(last[0].stdout().contains("cause: the session announced itself, but its heartbeats stopped"),
        last[0].stdout());
    assertTrue(last[0].stdout().contains("Fix: check the session still runs and can reach the hub URL"),
        last[0].stdout());
    signal("CONT", announced);
  }

  private static void signal(String name, Process p) throws Exception {
    if (p != null && p.isAlive()) {
      assertEquals(0, new ProcessBuilder("kill", "-" + name, String.valueOf(p.pid())).start().waitFor());
    }
  }

  @Test
  void anAddressOutsideTheTargetsIsExplained() throws Exception {
    assertExplained("127.0.0.3:" + base, "is not in any hub's scan targets. Fix: add it to every hub's --scan");
    assertExplained("127.0.0.1:" + (base + 7), "(its host is, this port is not)");
  }

  @Test
  void aNameThatDoesNotResolveIsExplained() throws Exception {
    assertExplained("no-such-host.invalid:8000", "the name no-such-host.invalid does not resolve (DNS)");
  }

  @Test
  void jsonOutputCarriesTheSameVerdict() throws Exception {
    Launcher.Result r = Launcher.run(60, "doctor", "127.0.0.1:" + (base + 1), "--hub", hubUrl, "--token-file",
        dir.resolve("token").toString(), "--json");
    assertEquals(1, r.exitCode(), r.stderr());
    JsonObject json = new JsonObject(r.stdout());
    assertEquals(false, json.getBoolean("listed"));
  }
}
