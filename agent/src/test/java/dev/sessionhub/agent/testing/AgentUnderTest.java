package dev.sessionhub.agent.testing;

import dev.sessionhub.agent.AgentOptions;
import java.util.List;

/**
 * One running agent of some implementation (the Java agent in this JVM, the Python agent in a child process), as
 * the contract and bad-input suites see it: one suite written once, run against every implementation.
 */
public interface AgentUnderTest extends AutoCloseable {

  /** Starts an agent of one implementation with the options the suites use (port, token, limits, tags, name). */
  @FunctionalInterface
  interface Factory {
    AgentUnderTest start(AgentOptions options) throws Exception;
  }

  /** "java", "python3", "cpython2.7": for the suites' output. */
  String label();

  int port();

  String sessionId();

  /** The pid {@code server_data()} must report. */
  long pid();

  /** What {@code server_data()['main_thread']} must say for this implementation's test host. */
  boolean mainThread();

  /** Makes the test host publish these scene objects (what {@code scene_objects()} then answers). */
  void publish(List<String> objects) throws Exception;

  /** Stops this agent and starts it again, same implementation, with {@code options} (e.g. a new token). */
  void restart(AgentOptions options) throws Exception;

  /** The Apache XML-RPC client (a client we did not write) on this agent, waiting at most {@code replyMillis}. */
  default org.apache.xmlrpc.client.XmlRpcClient xmlRpcClient(int replyMillis) throws java.net.MalformedURLException {
    org.apache.xmlrpc.client.XmlRpcClientConfigImpl config = new org.apache.xmlrpc.client.XmlRpcClientConfigImpl();
    config.setServerURL(new java.net.URL("http://127.0.0.1:" + port() + "/"));
    config.setReplyTimeout(replyMillis);
    org.apache.xmlrpc.client.XmlRpcClient client = new org.apache.xmlrpc.client.XmlRpcClient();
    client.setConfig(config);
    return client;
  }

  /** Threads, descriptors and memory of the process that serves (this JVM, or the child). */
  ProcessHealth health();

  @Override
  void close();
}
