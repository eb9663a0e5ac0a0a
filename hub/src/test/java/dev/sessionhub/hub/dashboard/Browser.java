package dev.sessionhub.hub.dashboard;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The system's headless Chromium driven through its chromedriver, with a fresh profile that is deleted on close:
 * one per test class. Paths default to Debian's {@code /usr/bin/chromium} and {@code /usr/bin/chromedriver}
 * ({@code .ci/run} installs them); the system properties {@code sessionhub.chromium} and
 * {@code sessionhub.chromedriver} override them. The machine may be offline: every background service that would
 * phone home is switched off.
 */
final class Browser implements AutoCloseable {

  static final Duration DEFAULT_WAIT = Duration.ofSeconds(20);
  private static final Duration POLL = Duration.ofMillis(50);

  private final Path profile;
  private final ChromeDriver driver;

  private Browser(Path profile, ChromeDriver driver) {
    this.profile = profile;
    this.driver = driver;
  }

  static Browser start() throws IOException {
    Path chromium = Path.of(System.getProperty("sessionhub.chromium", "/usr/bin/chromium"));
    Path chromedriver = Path.of(System.getProperty("sessionhub.chromedriver", "/usr/bin/chromedriver"));
    if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
      throw new IllegalStateException("the dashboard tests need " + chromium + " and " + chromedriver
          + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }
    Path profile = Files.createTempDirectory("sessionhub-chromium-");
    ChromeOptions options = new ChromeOptions();
    options.setBinary(chromium.toFile());
    options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
        "--disable-quic", "--no-first-run", "--no-default-browser-check", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
        "--window-size=1400,900", "--lang=en-US", "--user-data-dir=" + profile);
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    Path driverLog = Path.of("target", "chromedriver.log").toAbsolutePath();
    Files.createDirectories(driverLog.getParent());
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(chromedriver.toFile())
        .usingAnyFreePort()
        .withLogFile(driverLog.toFile())
        .build();
    try {
      ChromeDriver driver = new ChromeDriver(service, options);
      driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(30)).scriptTimeout(Duration.ofSeconds(10));
      return new Browser(profile, driver);
    } catch (RuntimeException e) {
      deleteTree(profile);
      throw e;
    }
  }

  WebDriver driver() {
    return driver;
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits, polling every 50 ms, until {@code condition} returns something other than null or false. */
  <T> T until(String what, Function<WebDriver, T> condition) {
    return until(DEFAULT_WAIT, what, condition);
  }

  <T> T until(Duration deadline, String what, Function<WebDriver, T> condition) {
    WebDriverWait wait = new WebDriverWait(driver, deadline, POLL);
    wait.withMessage(what).ignoring(StaleElementReferenceException.class);
    return wait.until(condition);
  }

  WebElement find(String css) {
    return driver.findElement(By.cssSelector(css));
  }

  List<WebElement> findAll(String css) {
    return driver.findElements(By.cssSelector(css));
  }

  /** The element's text, or null when it is not there (so it can sit inside a wait). */
  String text(String css) {
    List<WebElement> found = findAll(css);
    return found.isEmpty() ? null : found.get(0).getText();
  }

  String attribute(String css, String name) {
    List<WebElement> found = findAll(css);
    return found.isEmpty() ? null : found.get(0).getDomAttribute(name);
  }

  /** Replaces an input's or textarea's content by typing, as a user would (so input events fire). */
  void type(String css, String text) {
    WebElement field = find(css);
    field.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.DELETE);
    if (!text.isEmpty()) {
      field.sendKeys(text);
    }
  }

  void click(String css) {
    find(css).click();
  }

  Object script(String script, Object... args) {
    return ((JavascriptExecutor) driver).executeScript(script, args);
  }

  /**
   * Saves a screenshot of the whole page as {@code name} in the directory named by the system property
   * {@code sessionhub.screenshots}; does nothing when it is not set. The window takes the page's height first.
   */
  void screenshot(String name) {
    String dir = System.getProperty("sessionhub.screenshots");
    if (dir == null || dir.isBlank()) {
      return;
    }
    Dimension before = driver.manage().window().getSize();
    try {
      long height = ((Number) script("return Math.ceil(document.querySelector('main').getBoundingClientRect().bottom"
          + " + window.scrollY)")).longValue();
      long chrome = ((Number) script("return window.outerHeight - window.innerHeight")).longValue();
      driver.manage().window().setSize(new Dimension(before.getWidth(),
          (int) Math.min(2400, Math.max(360, height + chrome))));
      script("window.scrollTo(0, 0)");
      Path target = Path.of(dir).resolve(name);
      Files.createDirectories(target.getParent());
      Files.write(target, driver.getScreenshotAs(OutputType.BYTES));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      driver.manage().window().setSize(before);
    }
  }

  /** What the page logged to its console (errors included), for a failing test's report. */
  String consoleLog() {
    StringBuilder out = new StringBuilder();
    try {
      for (LogEntry entry : driver.manage().logs().get(LogType.BROWSER)) {
        out.append(entry.getLevel()).append(' ').append(entry.getMessage()).append('\n');
      }
    } catch (RuntimeException e) {
      out.append("(no console log: ").append(e).append(")\n");
    }
    return out.toString();
  }

  @Override
  public void close() {
    try {
      driver.quit();
    } finally {
      deleteTree(profile);
    }
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
    } catch (IOException e) {
      // a temp profile left behind is harmless
    }
  }
}
