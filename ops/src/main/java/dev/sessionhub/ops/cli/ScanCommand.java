package dev.sessionhub.ops.cli;

import dev.sessionhub.hub.impl.client.AgentClientOptions;
import dev.sessionhub.hub.impl.client.ApacheAgentClient;
import dev.sessionhub.hub.impl.discovery.FoundSession;
import dev.sessionhub.hub.impl.discovery.PortProber;
import dev.sessionhub.hub.impl.discovery.ScanReport;
import dev.sessionhub.hub.impl.discovery.TargetScanner;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.shared.scan.ScanTarget;
import dev.sessionhub.shared.scan.TargetParser;
import dev.sessionhub.shared.scan.TargetSyntaxException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sessionhub scan TARGETS}: one-shot discovery from this machine, without a hub. */
@Command(name = "scan", mixinStandardHelpOptions = true,
    description = "Scan hosts and ports once for sessions and print what each reports (no hub needed).")
final class ScanCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "TARGETS",
      description = "e.g. localhost:8000-8099 render[001-120].farm:8000-8010 10.1.2.0/28:8000-8004")
  List<String> targets;

  @Option(names = "--probe-timeout", defaultValue = "500ms", converter = DurationConverter.class,
      description = "Connect timeout per port (default ${DEFAULT-VALUE}).")
  Duration probeTimeout;

  @Option(names = "--parallel", defaultValue = "256", description = "Probes in flight at most (default ${DEFAULT-VALUE}).")
  int parallel;

  @Mixin
  TokenOptions tokens = new TokenOptions();

  @Option(names = "--agent-tls", description = "Agents serve https: call server_data() over https://.")
  boolean agentTls;

  @Option(names = "--agent-ca", paramLabel = "FILE",
      description = "PEM CA bundle an https agent's certificate must chain to (default: the JDK's trusted CAs).")
  Path agentCa;

  @Option(names = "--json", description = "Print JSON for scripts instead of a table.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    List<ScanTarget> parsed = new ArrayList<>();
    long total = 0;
    for (String t : targets) {
      try {
        for (ScanTarget target : TargetParser.parseAll(t)) {
          parsed.add(target);
          total += target.size();
        }
      } catch (TargetSyntaxException e) {
        throw new CliException(CliException.USAGE, e.getMessage());
      }
    }
    AgentClientOptions clientOptions = new AgentClientOptions().setToken(tokens.resolve())
        .setCaPath(agentCa == null ? null : agentCa.toString());
    Vertx vertx = Vertx.vertx();
    ApacheAgentClient client;
    try {
      client = new ApacheAgentClient(vertx, clientOptions);
    } catch (IllegalArgumentException e) {
      vertx.close();
      throw new CliException(CliException.USAGE, "--agent-ca: " + e.getMessage());
    }
    PortProber prober = new PortProber(vertx, probeTimeout);
    Progress progress = new Progress("scanning", total);
    AtomicLong handedOut = new AtomicLong();
    Iterator<HostPort> addresses = new Iterator<>() {
      private final Iterator<ScanTarget> t = parsed.iterator();
      private Iterator<HostPort> current = java.util.Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!current.hasNext() && t.hasNext()) {
          current = t.next().iterator();
        }
        return current.hasNext();
      }

      @Override
      public HostPort next() {
        progress.update(handedOut.incrementAndGet());
        hasNext();
        return current.next();
      }
    };
    try {
      ScanReport report = new TargetScanner(vertx, prober, client, parallel, agentTls).scan(addresses, found -> { })
          .await(1, TimeUnit.HOURS);
      progress.done();
      print(report);
      return 0;
    } finally {
      client.close();
      prober.close();
      vertx.close().await(10, TimeUnit.SECONDS);
    }
  }

  private void print(ScanReport report) {
    List<FoundSession> found = new ArrayList<>(report.sessions());
    found.sort((a, b) -> a.address().toString().compareTo(b.address().toString()));
    if (json) {
      JsonArray sessions = new JsonArray();
      found.forEach(f -> sessions.add(new JsonObject(f.info().toStruct()).put("address", f.address().toString())
          .put("url", f.url())));
      System.out.println(new JsonObject().put("probed", report.probed()).put("open", report.open())
          .put("took_ms", report.took().toMillis()).put("sessions", sessions).encodePrettily());
      return;
    }
    Table table = new Table("ADDRESS", "APP", "EXE", "PID", "USER", "FILE", "OBJECTS");
    for (FoundSession f : found) {
      table.row(f.address(), f.info().app(), f.info().exe(), f.info().pid(), f.info().user(), f.info().filePath(),
          f.info().sceneObjects().size());
    }
    table.print(System.out);
    System.out.printf("%d session%s on %d open of %d probed ports in %d ms%n", found.size(),
        found.size() == 1 ? "" : "s", report.open(), report.probed(), report.took().toMillis());
  }
}
