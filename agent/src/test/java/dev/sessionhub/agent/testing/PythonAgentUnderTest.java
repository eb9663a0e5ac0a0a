package dev.sessionhub.agent.testing;

import dev.sessionhub.agent.AgentOptions;
import dev.sessionhub.agent.python.PythonAgentFiles;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Python agent ({@code sessionhub_agent.py}, as the jar ships it) in a child process under a real CPython,
 * embedded by {@code python/testapp_host.py}: a plain Python program whose main thread serves the command queue,
 * publishing the same facts as {@link TestHost} (testapp 1.2.3, {@code /shows/demo/sh010.blend}, Cube and Camera).
 */
public final class PythonAgentUnderTest implements AgentUnderTest {

  private static final XmlRpcCodec CODEC = XmlRpcCodec.withDefaults();

  private final PythonInterpreter python;
  private final Path dir;
  private Process process;
  private int port;
  private String sessionId;
  private String token;

  private PythonAgentUnderTest(PythonInterpreter python, Path dir) {
    this.python = python;
    this.dir = dir;
  }

  /** Starts the agent under {@code python} (which must be {@link PythonInterpreter#require() available}). */
  public static AgentUnderTest start(PythonInterpreter python, AgentOptions options) throws Exception {
    Path dir = Files.createTempDirectory("sessionhub-pyagent");
    Files.write(dir.resolve(PythonAgentFiles.AGENT_MODULE), PythonAgentFiles.agentModule());
    try (InputStream in = PythonAgentUnderTest.class.getResourceAsStream("/python/testapp_host.py")) {
      Files.copy(in, dir.resolve("testapp_host.py"));
    }
    PythonAgentUnderTest agent = new PythonAgentUnderTest(python, dir);
    agent.launch(options);
    return agent;
  }

  /** The directory holding the agent module (for Python tests that import it). */
  public Path directory() {
    return dir;
  }

  private void launch(AgentOptions options) throws Exception {
    Path portFile = dir.resolve("agent.port");
    Files.deleteIfExists(portFile);
    List<String> args = new ArrayList<>(List.of(dir.resolve("testapp_host.py").toString(),
        "--base-port", String.valueOf(options.getBasePort()), "--max-port", String.valueOf(options.getMaxPort()),
        "--bind", options.getBindAddress(), "--port-file", portFile.toString(),
        "--max-body-bytes", String.valueOf(options.getMaxBodyBytes()),
        "--max-xml-depth", String.valueOf(options.getMaxXmlDepth()),
        "--queue-length", String.valueOf(options.getCommandQueueLength()),
        "--command-timeout", seconds(options.getCommandTimeout()),
        "--read-timeout", seconds(options.getRequestReadTimeout()), "--quiet"));
    if (options.getToken() != null) {
      args.addAll(List.of("--token", options.getToken()));
    }
    if (options.getName() != null) {
      args.addAll(List.of("--name", options.getName()));
    }
    if (options.isTls()) {
      args.addAll(List.of("--tls-cert", options.getTlsCertPath(), "--tls-key", options.getTlsKeyPath()));
    }
    if (options.getHubUrl() != null) {
      args.addAll(List.of("--hub", options.getHubUrl(), "--heartbeat", seconds(options.getHeartbeatInterval())));
    }
    for (Map.Entry<String, String> tag : options.getTags().entrySet()) {
      args.addAll(List.of("--tag", tag.getKey() + "=" + tag.getValue()));
    }
    Path log = dir.resolve("agent.log");
    process = python.builder(args.toArray(String[]::new)).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    try {
      Poll.until(Duration.ofSeconds(30), python.label() + " agent writes its port file",
          () -> Files.exists(portFile) || !process.isAlive());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; its log: " + Files.readString(log), e);
    }
    if (!process.isAlive()) {
      throw new IllegalStateException(python.label() + " agent exited " + process.exitValue() + ": "
          + Files.readString(log));
    }
    port = Integer.parseInt(Files.readString(portFile).trim());
    token = options.getToken();
    // over https the tests ask for what they need themselves, with their CA
    sessionId = options.isTls() ? null : (String) ((Map<?, ?>) call("server_data")).get("session_id");
  }

  private static String seconds(Duration d) {
    return String.valueOf(d.toMillis() / 1000.0);
  }

  /** One XML-RPC call with the current token; a fault becomes an AssertionError. */
  public Object call(String method, Object... params) throws IOException {
    String[] headers = token == null ? new String[0] : new String[] {"Authorization: Bearer " + token};
    RawHttp.Response response = RawHttp.post(port, "/RPC2", CODEC.encodeCall(method, List.of(params)), headers);
    try {
      XmlRpcResponse reply = CODEC.decodeResponse(response.body());
      if (reply.isFault()) {
        throw new AssertionError(method + " faulted: " + reply.fault());
      }
      return reply.value();
    } catch (dev.sessionhub.shared.xmlrpc.XmlRpcCodecException e) {
      throw new AssertionError(method + " answered no XML-RPC: HTTP " + response.status(), e);
    }
  }

  @Override
  public String label() {
    return python.label();
  }

  @Override
  public int port() {
    return port;
  }

  @Override
  public String sessionId() {
    return sessionId;
  }

  @Override
  public long pid() {
    return process.pid();
  }

  @Override
  public boolean mainThread() {
    return true;
  }

  @Override
  public void publish(List<String> objects) throws IOException {
    String names = objects.stream().map(n -> "'" + n.replace("\\", "\\\\").replace("'", "\\'") + "'")
        .collect(Collectors.joining(", ", "[", "]"));
    call("command", "session_host.objects[:] = " + names);
  }

  @Override
  public void restart(AgentOptions options) throws Exception {
    stopProcess();
    launch(options);
  }

  @Override
  public ProcessHealth health() {
    return ProcessHealth.ofProcess(process.pid());
  }

  /** The agent's own output so far (it runs with --quiet: only errors). */
  public String log() {
    try {
      return Files.readString(dir.resolve("agent.log"));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private void stopProcess() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(python.label() + " agent did not stop within 10 s of SIGTERM");
    }
  }

  @Override
  public void close() {
    try {
      stopProcess();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
