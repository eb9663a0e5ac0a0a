package dev.sessionhub.hub.impl.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link HostileServer} that passes for a session: it answers {@code server_data()} with a plausible struct
 * (so a scan or {@code hub.register} puts it in the inventory) and misbehaves only on {@code command}, running
 * the given {@link HostileServer.Script}. Any other method gets a -32601 fault.
 */
public final class HostileAgent implements AutoCloseable {

  private final HostileServer server;
  private final String name;
  private final String sessionId = UUID.randomUUID().toString();
  private final AtomicInteger commands = new AtomicInteger();

  private final String version;
  private final AtomicInteger outputCalls = new AtomicInteger();

  private HostileAgent(String name, String tag, HostileServer.Script onCommand, HostileServer.Script onOutput,
      String version) throws IOException {
    this.name = name;
    this.version = version;
    this.server = HostileServer.start(HostileServer.silent());
    server.script((socket, request) -> {
      String body = request.text();
      if (body.contains("<methodName>server_data</methodName>")) {
        HostileServer.value(serverDataStruct(tag)).answer(socket, request);
      } else if (body.contains("<methodName>command</methodName>")) {
        commands.incrementAndGet();
        onCommand.answer(socket, request);
      } else if (onOutput != null && body.contains("<methodName>output</methodName>")) {
        outputCalls.incrementAndGet();
        onOutput.answer(socket, request);
      } else {
        HostileServer.xml("<?xml version=\"1.0\"?><methodResponse><fault><value><struct><member><name>faultCode"
            + "</name><value><int>-32601</int></value></member><member><name>faultString</name><value><string>"
            + "no such method</string></value></member></struct></value></fault></methodResponse>")
            .answer(socket, request);
      }
    });
  }

  /** Starts one on a loopback port the OS picks; {@code tag} becomes its {@code tag.suite}. */
  public static HostileAgent start(String name, String tag, HostileServer.Script onCommand) throws IOException {
    return new HostileAgent(name, tag, onCommand, null, "0.1.0");
  }

  /**
   * One that claims agent contract 0.3 (so the hub names its commands and follows their output), answers {@code
   * command} with {@code onCommand} and {@code output} with {@code onOutput}.
   */
  public static HostileAgent startLive(String name, String tag, HostileServer.Script onCommand,
      HostileServer.Script onOutput) throws IOException {
    return new HostileAgent(name, tag, onCommand, onOutput, "0.3.0");
  }

  /** How many {@code output} calls reached it. */
  public int outputCalls() {
    return outputCalls.get();
  }

  public String name() {
    return name;
  }

  public int port() {
    return server.port();
  }

  public String url() {
    return server.url();
  }

  /** {@code host:port}, as the inventory keys it. */
  public String address() {
    return "127.0.0.1:" + port();
  }

  /** How many {@code command} calls reached it. */
  public int commandCalls() {
    return commands.get();
  }

  public int connections() {
    return server.connections();
  }

  /** The members of a plausible {@code server_data()} struct, as the {@code <struct>} value. */
  public String serverDataStruct(String tag) {
    return serverDataStruct(tag, "");
  }

  private String serverDataStruct(String tag, String extraMembers) {
    return "<struct>" + extraMembers
        + member("hostname", "<string>render07</string>")
        + member("app_version", "<string>4.1.0</string>")
        + member("file_path", "<string>/shows/demo/" + name + ".blend</string>")
        + member("exe", "<string>blender</string>")
        + member("scene_objects", "<array><data><value><string>Cube</string></value></data></array>")
        + member("pid", "<int>4242</int>")
        + member("port", "<int>" + port() + "</int>")
        + member("session_id", "<string>" + sessionId + "</string>")
        + member("app", "<string>blender</string>")
        + member("agent_version", "<string>" + version + "</string>")
        + member("started_at", "<string>2024-01-01T00:00:00Z</string>")
        + member("main_thread", "<boolean>1</boolean>")
        + member("headless", "<boolean>0</boolean>")
        + member("user", "<string>artist</string>")
        + member("tags", "<struct>" + member("suite", "<string>" + tag + "</string>")
            + member("role", "<string>hostile</string>") + "</struct>")
        + "</struct>";
  }

  /** The {@code hub.register} call that announces this agent (its server_data plus its url). */
  public byte[] registerCall(String tag) {
    String struct = serverDataStruct(tag, member("url", "<string>" + url() + "</string>"));
    return ("<?xml version=\"1.0\"?><methodCall><methodName>hub.register</methodName><params><param><value>"
        + struct + "</value></param></params></methodCall>").getBytes(StandardCharsets.UTF_8);
  }

  private static String member(String key, String value) {
    return "<member><name>" + key + "</name><value>" + value + "</value></member>";
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
