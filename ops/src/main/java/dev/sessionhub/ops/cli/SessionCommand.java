package dev.sessionhub.ops.cli;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.session.HeadlessSession;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionhub session}: a standalone headless session with an agent, until SIGTERM/SIGINT. */
@Command(name = "session", mixinStandardHelpOptions = true,
    description = "Run a headless session (a small scene evaluated at --fps) with its XML-RPC agent.")
final class SessionCommand implements Callable<Integer> {

  @Option(names = "--base-port", defaultValue = "8000", description = "First port to try (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--max-port", defaultValue = "8099", description = "Last port to try (default ${DEFAULT-VALUE}).")
  int maxPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1",
      description = "Address to bind (default ${DEFAULT-VALUE}); any other needs a token.")
  String bind;

  @Mixin
  TokenOptions tokens = new TokenOptions();

  @Option(names = "--open-discovery", description = "Answer server_data without the token (discovery only; "
      + "command, evaluate and multicall still need it).")
  boolean openDiscovery;

  @Option(names = "--open-metrics", description = "Serve GET /metrics without the token (counts only: no "
      + "addresses, job ids or code). /health/live and /health/ready never need it.")
  boolean openMetrics;

  @Option(names = "--hub", description = "Hub URL to announce this session to, e.g. http://127.0.0.1:7700.")
  String hub;

  @Option(names = "--hub-ca", paramLabel = "FILE",
      description = "PEM CA bundle an https --hub must chain to (default: the JDK's trusted CAs).")
  Path hubCa;

  @Mixin
  ServerTlsOptions tls = new ServerTlsOptions();

  @Option(names = "--name", description = "Session name (reported as tag 'name').")
  String name;

  @Option(names = "--app", defaultValue = "headless", description = "App name to report (default ${DEFAULT-VALUE}).")
  String app;

  @Option(names = "--tag", description = "A tag k=v to report; repeatable.")
  Map<String, String> tags = new LinkedHashMap<>();

  @Option(names = "--fps", defaultValue = "60", description = "Frames per second of the main loop (default ${DEFAULT-VALUE}).")
  int fps;

  @Option(names = "--eval-work", defaultValue = "" + HeadlessSession.DEFAULT_EVALUATION_WORK, hidden = true)
  int evalWork;

  @Option(names = "--command-timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "Longest a command may run (default ${DEFAULT-VALUE}).")
  Duration commandTimeout;

  @Mixin
  PythonWarmupOption pythonWarmup = new PythonWarmupOption();

  @Option(names = "--exit-after-self-test", hidden = true,
      description = "Bind an ephemeral port, call server_data and run print(1) on itself, then exit (builds the CDS "
          + "archive at package time).")
  boolean exitAfterSelfTest;

  @Option(names = "--port-file", description = "Write the bound port here once listening.")
  Path portFile;

  @Mixin
  ParentOptions parent = new ParentOptions();

  @Override
  public Integer call() throws Exception {
    parent.resolve().ifPresent(p -> ParentWatch.exitWith(p, "session"));
    AgentOptions options = new AgentOptions()
        .setBasePort(basePort)
        .setMaxPort(maxPort)
        .setBindAddress(bind)
        .setToken(tokens.resolve())
        .setOpenDiscovery(openDiscovery)
        .setOpenMetrics(openMetrics)
        .setHubUrl(hub)
        .setHubCaPath(hubCa == null ? null : hubCa.toString())
        .setTlsCertPath(tls.certPath())
        .setTlsKeyPath(tls.keyPath())
        .setName(name)
        .setCommandTimeout(commandTimeout)
        .setPythonWarmup(pythonWarmup.enabled());
    tags.forEach(options::addTag);
    if (exitAfterSelfTest) {
      options.setPort(0);
    }
    options.validate();
    HeadlessSession session = new HeadlessSession(app, fps, evalWork);
    Agent agent = session.start(options, portFile);
    if (exitAfterSelfTest) {
      String failed = SessionSelfTest.run(agent);
      session.close();
      if (failed != null) {
        throw new CliException(CliException.FAILED, "self-test failed: " + failed);
      }
      return 0;
    }
    System.out.println("session " + agent.sessionId() + " listening on " + agent.url());
    System.out.flush();
    session.awaitShutdown();
    return 0;
  }
}
