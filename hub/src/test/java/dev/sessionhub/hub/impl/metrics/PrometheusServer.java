package dev.sessionhub.hub.impl.metrics;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real {@code prometheus} (installed by ops/bin/install-test-deps) as a child process: a generated config
 * scraping the given targets every second with the token as a Bearer credential, its storage in a temp dir, its
 * web port picked at run time. Queries go through its HTTP API ({@code /api/v1/query}).
 */
final class PrometheusServer implements AutoCloseable {

  static final String BINARY = "/usr/bin/prometheus";
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final Process process;
  private final String url;
  private final Path dir;

  private PrometheusServer(Process process, String url, Path dir) {
    this.process = process;
    this.url = url;
    this.dir = dir;
  }

  /** {@code jobs}: job name → targets (host:port); all scraped with {@code token} (null: none). */
  static PrometheusServer start(java.util.Map<String, List<String>> jobs, String token) throws Exception {
    if (!Files.isExecutable(Path.of(BINARY))) {
      throw new IllegalStateException(BINARY + " is missing: run ops/bin/install-test-deps (Debian package "
          + "'prometheus')");
    }
    Path dir = Files.createTempDirectory("sessionhub-prometheus");
    StringBuilder config = new StringBuilder("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n"
        + "  evaluation_interval: 1s\nscrape_configs:\n");
    jobs.forEach((job, targets) -> {
      config.append("  - job_name: ").append(job).append('\n');
      if (token != null) {
        config.append("    authorization:\n      type: Bearer\n      credentials: ").append(token).append('\n');
      }
      config.append("    static_configs:\n      - targets: [");
      config.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList())).append("]\n");
    });
    Path file = dir.resolve("prometheus.yml");
    Files.writeString(file, config);
    int port = FreePorts.one();
    Process process = new ProcessBuilder(BINARY, "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
        "--web.listen-address=127.0.0.1:" + port, "--log.level=warn")
        .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    PrometheusServer server = new PrometheusServer(process, "http://127.0.0.1:" + port, dir);
    try {
      Poll.until(Duration.ofSeconds(30), "prometheus is ready", () -> {
        if (!process.isAlive()) {
          throw new IllegalStateException("prometheus exited: " + server.log());
        }
        return server.status("/-/ready") == 200;
      });
    } catch (RuntimeException | Error e) {
      server.close();
      throw e;
    }
    return server;
  }

  private int status(String path) {
    try {
      return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(5)).GET().build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  /** The instant vector {@code promql} evaluates to now. */
  JsonArray query(String promql) {
    try {
      HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url + "/api/v1/query?query="
          + URLEncoder.encode(promql, StandardCharsets.UTF_8))).timeout(Duration.ofSeconds(10)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
      JsonObject body = new JsonObject(r.body());
      if (!"success".equals(body.getString("status"))) {
        throw new IllegalStateException(promql + ": " + r.body());
      }
      return body.getJsonObject("data").getJsonArray("result");
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The value of a query that yields one sample (e.g. a {@code sum}), or NaN when it yields none. */
  double value(String promql) {
    JsonArray result = query(promql);
    if (result.isEmpty()) {
      return Double.NaN;
    }
    if (result.size() > 1) {
      throw new IllegalStateException(promql + " yields " + result.size() + " series: " + result.encode());
    }
    return Double.parseDouble(result.getJsonObject(0).getJsonArray("value").getString(1));
  }

  String log() {
    try {
      return Files.readString(dir.resolve("prometheus.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
    try (var files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }
}
