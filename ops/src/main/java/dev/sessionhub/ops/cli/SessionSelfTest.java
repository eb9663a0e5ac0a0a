package dev.sessionhub.ops.cli;

import dev.sessionhub.agent.Agent;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;

/**
 * {@code sessionhub session --exit-after-self-test}: the session calls its own {@code server_data()} and runs
 * {@code print(1)} over loopback, then exits. {@code mvn package} runs it with {@code -XX:ArchiveClassesAtExit}
 * to build the class-data-sharing archive the launcher gives every later session (what a session loads to bind,
 * answer and run its first command: ops/BENCHMARKS.md, "Young sessions").
 */
final class SessionSelfTest {

  private SessionSelfTest() {
  }

  /** Null when both calls answered as they should, else what went wrong. */
  static String run(Agent agent) {
    XmlRpcCodec codec = XmlRpcCodec.withDefaults();
    try {
      XmlRpcResponse data = call(agent, codec, codec.encodeCall("server_data", List.of()));
      if (data.isFault()) {
        return "server_data failed: " + data.fault().message();
      }
      XmlRpcResponse printed = call(agent, codec, codec.encodeCall("command", List.of("print(1)")));
      if (printed.isFault() || !"1\n".equals(printed.value())) {
        return "command failed: " + (printed.isFault() ? printed.fault().message() : printed.value());
      }
      return null;
    } catch (Exception e) {
      return e.toString();
    }
  }

  private static XmlRpcResponse call(Agent agent, XmlRpcCodec codec, byte[] body) throws Exception {
    HttpURLConnection http = (HttpURLConnection) URI.create(agent.url() + "RPC2").toURL().openConnection();
    http.setRequestMethod("POST");
    http.setDoOutput(true);
    http.setConnectTimeout(10_000);
    http.setReadTimeout(120_000);
    http.setRequestProperty("Content-Type", "text/xml");
    try (OutputStream out = http.getOutputStream()) {
      out.write(body);
    }
    if (http.getResponseCode() != 200) {
      throw new IOException("HTTP " + http.getResponseCode());
    }
    try (InputStream in = http.getInputStream()) {
      return codec.decodeResponse(in.readAllBytes());
    }
  }
}
