package dev.sessionhub.agent.impl;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * What does not change while a session runs: host name, pid, user, a session id new for every start, and the
 * start time. {@link #collect} may block on a name lookup, so it runs off the event loop, once.
 */
public record ProcessFacts(String hostname, int pid, String user, String sessionId, Instant startedAt) {

  public static ProcessFacts collect(Clock clock) {
    String hostname;
    try {
      hostname = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      hostname = System.getenv().getOrDefault("HOSTNAME", "localhost");
    }
    return new ProcessFacts(hostname, (int) ProcessHandle.current().pid(),
        System.getProperty("user.name", ""), UUID.randomUUID().toString(),
        clock.instant().truncatedTo(ChronoUnit.MILLIS));
  }
}
