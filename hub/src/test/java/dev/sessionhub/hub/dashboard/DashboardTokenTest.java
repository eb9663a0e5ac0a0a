package dev.sessionhub.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.testing.HubCluster;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * The dashboard on a hub that has a token: the page loads, asks for the token once (a wrong one is refused),
 * keeps it in session storage and sends it with every call, including the event streams, which take it as
 * {@code ?token=} because EventSource cannot send headers.
 */
class DashboardTokenTest {

  private static final String TOKEN = "dashboard-test-token-7f3a";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private static HubCluster cluster;
  private static Studio studio;
  private static Browser browser;
  private static String hub;
  private static int base;

  @BeforeAll
  static void start() throws Exception {
    base = FreePorts.range(10);
    cluster = HubCluster.start(1, o -> o.setToken(TOKEN).setScanInterval(Duration.ofSeconds(1))
        .setLease(Duration.ofSeconds(30)));
    hub = cluster.node(0).url();
    studio = new Studio();
    studio.start(session("layout-sh040"), "maya", "2025.1", "/shows/demo/sh040/layout_v002.ma", "sh040",
        "persp", "set_dressing");
    browser = Browser.start();
  }

  private static AgentOptions session(String name) {
    return new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base).setMaxPort(base + 9).setToken(TOKEN)
        .setHubUrl(hub).setName(name);
  }

  @AfterEach
  void report(TestInfo test) {
    System.out.println("browser console after " + test.getDisplayName() + ":\n" + browser.consoleLog());
  }

  @AfterAll
  static void stop() throws Exception {
    try {
      if (browser != null) {
        browser.close();
      }
    } finally {
      try {
        if (studio != null) {
          studio.close();
        }
      } finally {
        if (cluster != null) {
          cluster.close();
        }
      }
    }
  }

  private static int status(String path) throws Exception {
    HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(hub + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
    r.body().close(); // an event stream never ends by itself
    return r.statusCode();
  }

  @Test
  void theEventStreamsTakeTheTokenAsAQueryParameterAndNothingElseDoes() throws Exception {
    String token = "?token=" + URLEncoder.encode(TOKEN, StandardCharsets.UTF_8);
    assertEquals(200, status("/"));
    assertEquals(200, status("/assets/app.js"));
    assertEquals(401, status("/api/events"));
    assertEquals(401, status("/api/events?token=wrong"));
    assertEquals(200, status("/api/events" + token));
    assertEquals(401, status("/api/sessions" + token), "plain API calls need the header");
    assertEquals(401, status("/api/jobs/none/events?token=wrong"));
    assertEquals(404, status("/api/jobs/none/events" + token), "past auth, an unknown job");
  }

  @Test
  void thePageAsksForTheTokenOnceAndThenWorks() throws Exception {
    browser.open(hub + "/");
    browser.until("the token prompt opens", d -> browser.find("#token-dialog").isDisplayed());
    assertTrue(browser.findAll("#sessions tr").isEmpty());

    browser.type("#token-input", "not-the-token");
    browser.click("#token-submit");
    browser.until("a wrong token is refused", d -> browser.find("#token-error").isDisplayed());
    assertEquals("The hub refused that token.", browser.text("#token-error"));
    assertNull(browser.script("return sessionStorage.getItem('sessionhub.token')"));

    browser.type("#token-input", TOKEN);
    browser.click("#token-submit");
    browser.until("the prompt closes", d -> !browser.find("#token-dialog").isDisplayed());
    browser.until("the session is listed", d -> browser.findAll("#sessions tr[data-testid='session-row']").size() == 1);
    browser.until("the event stream is live", d -> "live".equals(browser.attribute("#live", "data-state")));
    assertEquals(TOKEN, browser.script("return sessionStorage.getItem('sessionhub.token')"));

    Studio.Session second = studio.start(session("layout-sh050"), "maya", "2025.1",
        "/shows/demo/sh050/layout_v001.ma", "sh050", "persp");
    browser.until("a new session arrives through the event stream",
        d -> !browser.findAll("#sessions tr[data-address='" + second.address() + "']").isEmpty());

    browser.click("#sessions tr[data-address='" + second.address() + "'] a[data-testid='session-link']");
    browser.until("the session view opens", d -> "maya".equals(
        browser.text("#session-data tr[data-key='app'] td")));
    browser.type("#console-code", "print('hello ' + shot)");
    browser.click("#console-run");
    browser.until("the command ran with the token", d -> "ok".equals(
        browser.attribute("#console-log .console-entry", "data-state")));
    assertEquals("hello sh050", browser.text("#console-log pre.output"));

    browser.click("#nav-inventory");
    browser.driver().navigate().refresh();
    browser.until("after a reload the stored token is used without asking", d -> browser.findAll(
        "#sessions tr[data-testid='session-row']").size() == 2
        && "live".equals(browser.attribute("#live", "data-state")));
    assertTrue(!browser.find("#token-dialog").isDisplayed());
  }
}
