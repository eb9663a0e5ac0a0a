package dev.sessionhub.agent.impl;

import dev.sessionhub.agent.impl.python.SessionPython;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodec;
import dev.sessionhub.shared.xmlrpc.XmlRpcCodecException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What an agent warms once it has bound, on a daemon thread of its own (never an event loop, never the session's
 * main thread): its Python first ({@link SessionPython#warmHere()}: what a command waits for), then the XML-RPC
 * codec on the paths {@code server_data} and {@code command} take. A young JVM otherwise loads and interprets all
 * of it on the first call.
 */
final class AgentWarmup {

  private static final Logger LOG = LoggerFactory.getLogger(AgentWarmup.class);

  /** Codec round trips: enough for the classes to load and the hot loops to be compiled by C1. */
  private static final int CODEC_ROUNDS = 50;

  private AgentWarmup() {
  }

  static void start(XmlRpcCodec codec, ServerDataSource serverData, SessionPython python) {
    Thread thread = new Thread(() -> {
      long start = System.nanoTime();
      python.warmHere();
      warmCodec(codec, serverData);
      LOG.info("warm-up done in {} ms (Python {} after {} ms, then the XML-RPC codec)",
          (System.nanoTime() - start) / 1_000_000, python.state().name().toLowerCase(java.util.Locale.ROOT),
          python.readyAfterMillis());
    }, "sessionhub-warmup");
    thread.setDaemon(true);
    thread.start();
  }

  static void warmCodec(XmlRpcCodec codec, ServerDataSource serverData) {
    try {
      for (int i = 0; i < CODEC_ROUNDS; i++) {
        codec.decodeCall(codec.encodeCall("command", List.of("print(" + i + ")", 30.0)));
        codec.encodeResponse(i + "\n");
        codec.encodeFault(FaultCode.APPLICATION_ERROR, "NameError: name 'x" + i + "' is not defined");
        codec.decodeCall(codec.encodeCall("server_data", List.of()));
        codec.encodeResponse(serverData.current().toStruct());
      }
    } catch (XmlRpcCodecException | RuntimeException e) {
      // Best effort: the calls themselves will load whatever this did not.
    }
  }
}
