package dev.sessionhub.hub.dashboard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.HubApi;
import dev.sessionhub.hub.testing.HubCluster;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The dashboard end to end, in a real headless Chromium: a hub (real Hazelcast member) and three sessions, two
 * found by scanning and one announced. The live inventory with its selector box, a session appearing and going
 * away without a reload, a command and a fault in a session's console, a broadcast whose results stream in with
 * their counts, recent jobs reopened, the cluster view, and a running command's output live in the console and the
 * job view. The tests run in order on one page, as a user would.
 */
class DashboardTest {

  private static HubCluster cluster;
  private static Studio studio;
  private static Browser browser;
  private static String hub;
  private static int announcedBase;
  private static int scannedBase;
  private static Studio.Session blender;
  private static Studio.Session maya;
  private static Studio.Session houdini;

  @BeforeAll
  static void start() throws Exception {
    scannedBase = FreePorts.range(10);
    announcedBase = FreePorts.range(10);
    cluster = HubCluster.start(1, o -> o.addScanTarget("127.0.0.1:" + scannedBase + "-" + (scannedBase + 9))
        .setScanInterval(Duration.ofMillis(500)).setLease(Duration.ofSeconds(30)));
    hub = cluster.node(0).url();
    studio = new Studio();
    blender = studio.start(scanned(scannedBase).setName("lighting-sh010").addTag("show", "demo")
            .addTag("dept", "lighting"), "blender", "4.2.1", "/shows/demo/sh010/lighting_v012.blend", "sh010",
        "Camera", "Key_Light", "Rim_Light", "Suzanne", "Floor");
    houdini = studio.start(scanned(scannedBase).setName("fx-sh030").addTag("show", "other")
            .addTag("dept", "fx"), "houdini", "20.5.332", "/shows/other/sh030/fx/pyro_v007.hip", "sh030",
        "/obj/geo1", "/obj/pyro_sim", "/obj/dopnet1");
    maya = studio.start(announced().setName("anim-sh020").addTag("show", "demo").addTag("dept", "anim"), "maya",
        "2025.1", "/shows/demo/sh020/anim_v031.ma", "sh020", "persp", "char_hero_rig", "prop_sword");
    Poll.until(Duration.ofSeconds(30), "the hub knows the three sessions", () -> HubApi.count(hub, "") == 3);
    // The first command of a session makes its Python: do it here, not inside a test's timeout (the broadcast's
    // targets must answer within its 2 s).
    for (Studio.Session s : List.of(blender, maya, houdini)) {
      HubApi.Reply warm = HubApi.post(hub, "/api/sessions/" + s.address() + "/command",
          new JsonObject().put("code", "import time\nprint('warm')").put("timeout", 60));
      assertEquals(200, warm.status(), warm.json().encode());
    }
    browser = Browser.start();
  }

  private static AgentOptions scanned(int base) {
    return new AgentOptions().setBindAddress("127.0.0.1").setBasePort(base).setMaxPort(base + 9);
  }

  private static AgentOptions announced() {
    return new AgentOptions().setBindAddress("127.0.0.1").setBasePort(announcedBase).setMaxPort(announcedBase + 9)
        .setHubUrl(hub);
  }

  /** Every test starts on a freshly loaded inventory page with a live event stream and the three sessions. */
  @BeforeEach
  void openTheInventory() {
    browser.open(hub + "/");
    browser.until("the event stream is live", d -> "live".equals(browser.attribute("#live", "data-state")));
    awaitCount(3);
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

  private static String row(Studio.Session s) {
    return "#sessions tr[data-address='" + s.address() + "']";
  }

  private static int liveRows() {
    return browser.findAll("#sessions tr[data-testid='session-row']:not(.gone)").size();
  }

  private static void awaitCount(int expected) {
    browser.until("the match count reads " + expected, d -> String.valueOf(expected).equals(
        browser.attribute("#match-count", "data-count")) && liveRows() == expected);
  }

  @Test
  void theInventoryListsEverySessionAndFiltersBySelector() {
    browser.open(hub + "/");
    browser.until("the event stream is live", d -> "live".equals(browser.attribute("#live", "data-state")));
    awaitCount(3);
    assertEquals("3 sessions", browser.text("#match-count"));

    String cells = browser.text(row(blender));
    for (String expected : List.of("blender", blender.address(), "lighting-sh010", "lighting_v012.blend",
        "show=demo", "dept=lighting", "scan", String.valueOf(ProcessHandle.current().pid()),
        System.getProperty("user.name"))) {
      assertTrue(cells.contains(expected), "the blender row shows " + expected + ": " + cells);
    }
    assertEquals("5", browser.text(row(blender) + " td.objects"));
    assertTrue(browser.text(row(maya)).contains("announce"), browser.text(row(maya)));

    browser.type("#selector", "app=blender,maya");
    awaitCount(2);
    assertEquals("2 sessions match", browser.text("#match-count"));
    assertTrue(browser.findAll(row(houdini)).isEmpty());
    browser.type("#selector", "tag.show=other");
    awaitCount(1);
    assertEquals(1, browser.findAll(row(houdini)).size());

    browser.type("#selector", "colour=red");
    browser.until("the selector error is shown", d -> browser.find("#selector-error").isDisplayed());
    assertTrue(browser.text("#selector-error").contains("unknown field 'colour'"), browser.text("#selector-error"));
    assertEquals("bad selector", browser.text("#match-count"));
    assertEquals("true", browser.attribute("#selector", "aria-invalid"));

    browser.type("#selector", "");
    awaitCount(3);
    assertTrue(!browser.find("#selector-error").isDisplayed());
  }

  @Test
  void aNewSessionAppearsLiveAndOneThatStopsFadesOut() throws Exception {
    browser.script("window.__sameDocument = true");
    Studio.Session nuke = studio.start(announced().setName("comp-sh010").addTag("show", "demo")
        .addTag("dept", "comp"), "nuke", "15.1v2", "/shows/demo/sh010/comp/comp_v004.nk", "sh010", "Read1",
        "Merge1", "Write1");
    browser.until("the new session's row appears", d -> !browser.findAll(row(nuke)).isEmpty());
    awaitCount(4);
    assertTrue(browser.text(row(nuke)).contains("nuke"));
    browser.screenshot("dashboard-inventory.png");

    browser.type("#selector", "tag.show=demo");
    awaitCount(3);
    studio.stop(nuke);
    browser.until("the stopped session's row fades out", d -> "gone".equals(browser.attribute(row(nuke),
        "data-state")));
    assertTrue(browser.find(row(nuke)).getDomAttribute("class").contains("gone"));
    browser.until("the faded row is removed", d -> browser.findAll(row(nuke)).isEmpty());
    awaitCount(2);

    browser.type("#selector", "");
    awaitCount(3);
    assertEquals(Boolean.TRUE, browser.script("return window.__sameDocument === true"), "no reload happened");
  }

  @Test
  void aSessionViewShowsServerDataAndRunsCommandsInItsConsole() {
    browser.click(row(blender) + " a[data-testid='session-link']");
    browser.until("the session view opens", d -> browser.find("#view-session").isDisplayed()
        && "blender".equals(browser.text("#session-data tr[data-key='app'] td")));
    assertEquals("/shows/demo/sh010/lighting_v012.blend", browser.text("#session-data tr[data-key='file_path'] td"));
    assertEquals("4.2.1", browser.text("#session-data tr[data-key='app_version'] td"));
    assertEquals(blender.address(), browser.text("#session-data tr[data-key='address'] td"));
    assertEquals(List.of("Camera", "Key_Light", "Rim_Light", "Suzanne", "Floor"),
        browser.findAll("#session-objects li").stream().map(WebElement::getText).toList());

    browser.type("#console-code", "print(6 * 7)\nprint('shot', shot)");
    browser.click("#console-run");
    WebElement first = browser.until("the command's output", d -> {
      List<WebElement> entries = browser.findAll("#console-log .console-entry");
      return entries.size() == 1 && "ok".equals(entries.get(0).getDomAttribute("data-state")) ? entries.get(0) : null;
    });
    assertEquals("42\nshot sh010", first.findElement(By.cssSelector("pre.output")).getText());

    browser.type("#console-code", "def relight(name):\n    raise ValueError('no light called ' + name)\n"
        + "relight('Fill_Light')");
    browser.click("#console-run");
    WebElement second = browser.until("the command's fault", d -> {
      List<WebElement> entries = browser.findAll("#console-log .console-entry");
      return entries.size() == 2 && "error".equals(entries.get(1).getDomAttribute("data-state"))
          ? entries.get(1) : null;
    });
    String fault = second.findElement(By.cssSelector("pre.fault")).getText();
    assertTrue(fault.startsWith("ValueError: no light called Fill_Light"), fault);
    assertTrue(fault.contains("Traceback (most recent call last)"), fault);
    assertTrue(fault.contains("in relight"), fault);
    assertTrue(second.getText().contains("fault 1"), second.getText());
    browser.screenshot("dashboard-session.png");
  }

  @Test
  void aBroadcastStreamsEveryResultWithCountsAndJobsCanBeReopened() {
    HubApi.Reply failed = HubApi.post(hub, "/api/sessions/" + blender.address() + "/command",
        new JsonObject().put("code", "raise ValueError('no light called Fill_Light')"));
    assertEquals(200, failed.status(), failed.json().encode());
    browser.click("#nav-broadcast");
    browser.until("the broadcast view opens", d -> browser.find("#view-broadcast").isDisplayed());
    browser.type("#bc-selector", "app=blender,maya,houdini");
    browser.until("the preview counts three targets", d -> "3".equals(browser.attribute("#bc-preview",
        "data-count")));
    assertTrue(browser.text("#bc-preview").startsWith("Will run in 3 sessions"), browser.text("#bc-preview"));
    browser.type("#bc-selector", "app=nothing-like-this");
    browser.until("the preview counts none", d -> "0".equals(browser.attribute("#bc-preview", "data-count")));
    browser.type("#bc-selector", "app=blender,maya,houdini");
    browser.until("the preview counts three again", d -> "3".equals(browser.attribute("#bc-preview",
        "data-count")));
    // sh010 answers at once, sh030 raises, sh020 outlives the job's 2 s timeout.
    browser.type("#bc-code", "import time\nif shot == 'sh030':\n    raise RuntimeError('cache missing for ' + shot)\n"
        + "if shot == 'sh020':\n    time.sleep(3)\nprint('checked', shot)");
    browser.type("#bc-timeout", "2");
    browser.until("send is enabled", d -> browser.find("#bc-send").isEnabled());
    assertEquals("Send to 3 sessions", browser.text("#bc-send"));
    browser.click("#bc-send");

    browser.until("the first result streams in while the job runs", d -> "running".equals(
        browser.attribute("#job-state", "data-state")) && count("ok") == 1 && count("pending") >= 1);
    browser.until(Duration.ofSeconds(30), "the job is done", d -> "done".equals(
        browser.attribute("#job-state", "data-state")));
    assertEquals(1, count("ok"));
    assertEquals(1, count("error"));
    assertEquals(1, count("timeout"));
    assertEquals(0, count("unreachable"));
    assertEquals(0, count("pending"));
    String jobId = browser.text("#job-id");
    assertEquals("ok", resultState(blender));
    assertEquals("checked sh010", browser.text(result(blender) + " pre.output"));
    assertEquals("error", resultState(houdini));
    assertTrue(browser.text(result(houdini) + " pre.fault").startsWith("RuntimeError: cache missing for sh030"));
    assertEquals("timeout", resultState(maya));
    browser.until("the job is listed", d -> !browser.findAll(jobRow(jobId)).isEmpty());
    browser.screenshot("dashboard-broadcast.png");

    // Reopen an older job (the failed routed command), then the broadcast again.
    WebElement routeJob = browser.findAll("#jobs-list tbody tr").stream()
        .filter(tr -> tr.getText().contains("route") && tr.getText().contains("error")).findFirst().orElseThrow();
    String routeId = routeJob.getDomAttribute("data-job-id");
    routeJob.click();
    browser.until("the older job reopens", d -> routeId.equals(browser.text("#job-id"))
        && "done".equals(browser.attribute("#job-state", "data-state")) && count("error") == 1);
    assertTrue(browser.text(result(blender) + " pre.fault").startsWith("ValueError: no light called Fill_Light"));
    browser.click(jobRow(jobId));
    browser.until("the broadcast reopens", d -> jobId.equals(browser.text("#job-id")) && count("ok") == 1
        && count("error") == 1 && count("timeout") == 1
        && browser.findAll("#job-results tbody tr").size() == 3);
  }

  @Test
  void theClusterViewShowsTheHubWhatItScansAndItsSessions() {
    browser.click("#nav-cluster");
    browser.until("the hub is listed with its sessions", d -> browser.findAll("#cluster-members tbody tr").size() == 1
        && "3".equals(browser.text("#cluster-members td[data-testid='hub-sessions']")));
    String member = browser.text("#cluster-members tbody tr");
    assertTrue(member.contains("this hub"), member);
    assertTrue(member.contains("127.0.0.1"), member);
    assertTrue(!member.contains("not yet"), "a scan has run: " + member);
    assertTrue(browser.text("#cluster-summary").startsWith("1 hub"), browser.text("#cluster-summary"));
  }

  @Test
  void theSessionConsoleShowsOutputWhileTheCommandRuns() throws Exception {
    Path dir = Files.createTempDirectory("console-live");
    Path go = dir.resolve("go");
    browser.script("location.hash = arguments[0]", "#/session/" + blender.address());
    browser.until("the session view opens", d -> browser.find("#view-session").isDisplayed()
        && "blender".equals(browser.text("#session-data tr[data-key='app'] td")));
    int before = browser.findAll("#console-log .console-entry").size();
    // The command prints a line, then waits until the test has seen it in the page before it prints the next.
    browser.type("#console-code", "import os, time\nprint('first live line')\n" + awaitFile(go)
        + "print('second line' if os.path.exists(" + py(go) + ") else 'the page never showed the first')");
    browser.click("#console-run");
    String entry = "#console-log .console-entry:nth-child(" + (before + 1) + ")";
    browser.until("the first line while the command runs", d -> "pending".equals(browser.attribute(entry,
        "data-state")) && textContent(entry + " pre[data-testid='console-live']").equals("first live line\n"));
    Files.createFile(go);
    browser.until("the final result replaces the live text", d -> "ok".equals(browser.attribute(entry,
        "data-state")));
    assertEquals("first live line\nsecond line\n", textContent(entry + " pre[data-testid='output']"));
    assertTrue(browser.findAll(entry + " pre[data-testid='console-live']").isEmpty());
  }

  @Test
  void theJobViewShowsRunningTargetsOutputLiveAndBoundsIt() throws Exception {
    Path dir = Files.createTempDirectory("job-live");
    Path go = dir.resolve("go");
    Path flooded = dir.resolve("flooded");
    browser.click("#nav-broadcast");
    browser.until("the broadcast view opens", d -> browser.find("#view-broadcast").isDisplayed());
    browser.type("#bc-selector", "app=blender,maya");
    browser.until("the preview counts two targets", d -> "2".equals(browser.attribute("#bc-preview",
        "data-count")));
    // Each prints a line and waits for the test to have seen both; then sh010 prints 100 KiB (more than the
    // page keeps per target) and waits again.
    browser.type("#bc-code", "import os, time\nprint('first from ' + shot)\n" + awaitFile(go)
        + "if shot == 'sh010':\n"
        + "    for i in range(1600):\n"
        + "        print('%04d %s' % (i, 'y' * 59))\n"
        + "    print('after the flood')\n"
        + awaitFile(flooded).replaceAll("(?m)^", "    ")
        + "print('second from ' + shot)");
    browser.type("#bc-timeout", "60");
    browser.until("send is enabled", d -> browser.find("#bc-send").isEnabled());
    browser.click("#bc-send");

    browser.until("each running target's first line", d -> "running".equals(browser.attribute("#job-state",
        "data-state")) && textContent(live(blender)).equals("first from sh010\n")
        && textContent(live(maya)).equals("first from sh020\n"));
    assertEquals(2, count("pending"));
    Files.createFile(go);
    browser.until(Duration.ofSeconds(30), "maya ends while blender's flood streams in", d -> "ok".equals(
        resultState(maya)) && textContent(live(blender)).endsWith("after the flood\n"));
    assertEquals("first from sh020\nsecond from sh020\n", textContent(result(maya) + " pre[data-testid='output']"));
    String shown = textContent(live(blender));
    assertTrue(shown.length() <= 64 * 1024 + 100, "the page keeps at most ~64 KiB per target: " + shown.length());
    assertTrue(textContent(live(blender) + " [data-testid='live-dropped']").matches(
        "\\[… \\d+ earlier characters not shown here …\\]\n"), shown.substring(0, 100));
    assertTrue(!shown.contains("first from sh010"), "the oldest text gave way");
    assertTrue(shown.contains("1599 " + "y".repeat(59) + "\n"), "the newest text stays");

    Files.createFile(flooded);
    browser.until(Duration.ofSeconds(30), "the job is done", d -> "done".equals(
        browser.attribute("#job-state", "data-state")));
    assertEquals(2, count("ok"));
    String whole = textContent(result(blender) + " pre[data-testid='output']");
    assertTrue(whole.startsWith("first from sh010\n0000 y"), "the result holds the whole output");
    assertTrue(whole.endsWith("after the flood\nsecond from sh010\n"), whole.substring(whole.length() - 100));
    assertTrue(browser.findAll("#job-results pre[data-testid='live-output']").isEmpty());
  }

  /** Python lines that wait (up to 30 s) until {@code file} exists. */
  private static String awaitFile(Path file) {
    return "deadline = time.time() + 30\nwhile not os.path.exists(" + py(file) + ") and time.time() < deadline:\n"
        + "    time.sleep(0.02)\n";
  }

  private static String py(Path path) {
    return "'" + path.toString().replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  /** All the text of an element, scrolled out of view or not ("" when it is not there). */
  private static String textContent(String css) {
    Object text = browser.script("const e = document.querySelector(arguments[0]); return e ? e.textContent : ''",
        css);
    return text == null ? "" : text.toString();
  }

  private static String live(Studio.Session s) {
    return result(s) + " pre[data-testid='live-output']";
  }

  private static int count(String state) {
    String value = browser.attribute("#job-counts [data-count='" + state + "']", "data-value");
    return value == null ? -1 : Integer.parseInt(value);
  }

  private static String result(Studio.Session s) {
    return "#job-results tr[data-address='" + s.address() + "']";
  }

  private static String resultState(Studio.Session s) {
    return browser.attribute(result(s), "data-state");
  }

  private static String jobRow(String id) {
    return "#jobs-list tr[data-job-id='" + id + "']";
  }

  @Test
  void theClusterViewExplainsWhyASessionIsOrIsNotListed() {
    browser.click("#nav-cluster");
    browser.until("the cluster view", d -> browser.find("#view-cluster").isDisplayed());
    explain(blender.address());
    browser.until("a listed session is explained as listed", d -> "true".equals(
        browser.attribute("#diagnose-lines", "data-listed")));
    assertTrue(browser.text("#diagnose-lines").startsWith("listed: yes: blender"), browser.text("#diagnose-lines"));

    String free = "127.0.0.1:" + (scannedBase + 9); // scanned, nothing listens there
    explain(free);
    browser.until("a scanned port where nothing listens gets its cause", d -> "false".equals(
        browser.attribute("#diagnose-lines", "data-listed")) && browser.text("#diagnose-lines").contains("cause:"));
    String closed = browser.text("#diagnose-lines");
    assertTrue(closed.contains("nothing listens on that port"), closed);
    assertTrue(closed.contains("Fix:"), closed);

    explain("127.0.0.1:1");
    browser.until("an address outside the scan targets is named so", d -> browser.text("#diagnose-lines")
        .contains("not in any hub's scan targets"));
    explain("not an address");
    browser.until("bad input is a clear error", d -> browser.find("#diagnose-error").isDisplayed()
        && browser.text("#diagnose-error").contains("HOST:PORT"));
  }

  private static void explain(String address) {
    browser.script("document.getElementById('diagnose-address').value = arguments[0]", address);
    browser.click("#diagnose-run");
  }
}
