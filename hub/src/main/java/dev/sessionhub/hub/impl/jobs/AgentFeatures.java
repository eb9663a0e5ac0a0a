package dev.sessionhub.hub.impl.jobs;

/**
 * What a session's agent can do beyond the stock contract, by the {@code agent_version} it reports in {@code
 * server_data()}: any SessionHub agent takes a time limit as {@code command}'s second parameter; from 0.2 it also
 * takes a command id as the third and answers {@code cancel(id)}; from 0.3 it answers {@code output(id, cursor,
 * wait)}, which the hub tries for every command it names (a 0.2 agent's "no such method" ends the following). Other agents (the original Blender add-on, any
 * XML-RPC server with an {@code exe}) get the stock one-parameter {@code command(code)} only.
 */
final class AgentFeatures {

  private AgentFeatures() {
  }

  /** A SessionHub agent: {@code command(code, seconds)} is understood. */
  static boolean takesTimeout(String agentVersion) {
    return agentVersion != null && !agentVersion.isEmpty();
  }

  /** {@code command(code, seconds, id)} and {@code cancel(id)} are understood (agent 0.2 and later). */
  static boolean cancellable(String agentVersion) {
    if (!takesTimeout(agentVersion)) {
      return false;
    }
    String[] parts = agentVersion.split("[.\\-+]");
    try {
      int major = Integer.parseInt(parts[0]);
      int minor = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      return major > 0 || minor >= 2;
    } catch (NumberFormatException e) {
      return false;
    }
  }
}
