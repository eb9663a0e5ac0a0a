package dev.sessionhub.ops.cli;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.sim.SimFarm;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionhub sim --agents N}: N lightweight sessions in one JVM, for scale tests and benchmarks. */
@Command(name = "sim", mixinStandardHelpOptions = true,
    description = "Run N simulated sessions (full agents sharing one JVM) until SIGTERM/SIGINT.")
final class SimCommand implements Callable<Integer> {

  @Option(names = "--agents", required = true, description = "How many sessions.")
  int agents;

  @Option(names = "--base-port", defaultValue = "8000", description = "First port (default ${DEFAULT-VALUE}).")
  int basePort;

  @Option(names = "--max-port", description = "Last port (default: base port + 2 x agents).")
  Integer maxPort;

  @Option(names = "--bind", defaultValue = "127.0.0.1", description = "Address to bind (default ${DEFAULT-VALUE}).")
  String bind;

  @Option(names = "--hub", description = "Hub URL every session announces itself to.")
  String hub;

  @Option(names = "--hub-ca", paramLabel = "FILE",
      description = "PEM CA bundle an https --hub must chain to (default: the JDK's trusted CAs).")
  Path hubCa;

  @Mixin
  ServerTlsOptions tls = new ServerTlsOptions();

  @Mixin
  TokenOptions tokens = new TokenOptions();

  @Option(names = "--open-metrics", description = "Serve each session's GET /metrics without the token.")
  boolean openMetrics;

  @Option(names = "--command-threads", defaultValue = "4", description = "Threads running commands (default ${DEFAULT-VALUE}).")
  int commandThreads;

  @Mixin
  PythonWarmupOption pythonWarmup = new PythonWarmupOption();

  @Option(names = "--ready-file", description = "Write the list of ports here once every session listens.")
  Path readyFile;

  @Mixin
  ParentOptions parent = new ParentOptions();

  @Override
  public Integer call() throws Exception {
    parent.resolve().ifPresent(p -> ParentWatch.exitWith(p, "sim"));
    if (agents < 1) {
      throw new CliException(CliException.USAGE, "--agents must be at least 1");
    }
    int top = maxPort != null ? maxPort : Math.min(65535, basePort + 2 * agents);
    AgentOptions template = new AgentOptions().setBasePort(basePort).setMaxPort(top).setBindAddress(bind)
        .setToken(tokens.resolve()).setHubUrl(hub).setHubCaPath(hubCa == null ? null : hubCa.toString())
        .setTlsCertPath(tls.certPath()).setTlsKeyPath(tls.keyPath())
        .setPythonWarmup(pythonWarmup.enabled())
        .setOpenMetrics(openMetrics);
    template.validate();
    int eventLoops = 2;
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(eventLoops).setPreferNativeTransport(true));
    long start = System.nanoTime();
    SimFarm farm = SimFarm.start(vertx, agents, template, commandThreads, eventLoops);
    StringBuilder ports = new StringBuilder();
    farm.agents().forEach(a -> ports.append(a.port()).append('\n'));
    System.out.printf("sim: %d sessions listening on %s ports %d-%d (started in %d ms)%n", agents, bind,
        farm.agents().stream().mapToInt(a -> a.port()).min().orElse(0),
        farm.agents().stream().mapToInt(a -> a.port()).max().orElse(0), (System.nanoTime() - start) / 1_000_000);
    System.out.flush();
    if (readyFile != null) {
      ProgramLifecycle.writeReadyFile(readyFile, ports.toString());
    }
    ProgramLifecycle.runUntilStopped("sim", () -> {
      farm.close();
      vertx.close().await(10, java.util.concurrent.TimeUnit.SECONDS);
    });
    return 0;
  }
}
