package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.TestHost;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Bind-first port selection: distinct ports without races, skipping ports others hold, freed at once on close. */
@ExtendWith(VertxExtension.class)
class PortSelectionTest {

  private TestHost host;
  private int base;

  @BeforeEach
  void setUp() {
    host = new TestHost("ports");
    base = FreePorts.range(10);
  }

  @AfterEach
  void tearDown() {
    host.close();
  }

  private AgentOptions range() {
    return new AgentOptions().setBasePort(base).setMaxPort(base + 9);
  }

  @Test
  void threeAgentsStartedTogetherInOneVertxGetTheFirstThreePorts(Vertx vertx, VertxTestContext test) {
    List<Future<Agent>> starts = List.of(Agent.start(vertx, range(), host), Agent.start(vertx, range(), host),
        Agent.start(vertx, range(), host));
    Future.all(starts).onComplete(test.succeeding(all -> test.verify(() -> {
      Set<Integer> ports = starts.stream().map(f -> f.result().port()).collect(Collectors.toCollection(TreeSet::new));
      assertEquals(Set.of(base, base + 1, base + 2), ports);
      Future.all(starts.stream().map(f -> f.result().close()).toList()).onComplete(test.succeedingThenComplete());
    })));
  }

  @Test
  void agentsInSeparateVertxInstancesRaceForPortsSafely() throws Exception {
    List<Vertx> instances = List.of(Vertx.vertx(), Vertx.vertx(), Vertx.vertx());
    try {
      List<Future<Agent>> starts = instances.stream().map(v -> Agent.start(v, range(), host)).toList();
      Future.all(starts).await(30, TimeUnit.SECONDS);
      Set<Integer> ports = starts.stream().map(f -> f.result().port()).collect(Collectors.toSet());
      assertEquals(Set.of(base, base + 1, base + 2), ports);
    } finally {
      for (Vertx v : instances) {
        v.close().await(10, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void aPortHeldByAnotherProgramIsSkipped(Vertx vertx) throws Exception {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), base));
      Agent agent = Agent.start(vertx, range(), host).await(30, TimeUnit.SECONDS);
      assertEquals(base + 1, agent.port());
      agent.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aFullRangeFailsWithAClearMessage(Vertx vertx) throws Exception {
    Agent first = Agent.start(vertx, new AgentOptions().setBasePort(base).setMaxPort(base), host)
        .await(30, TimeUnit.SECONDS);
    try {
      Future<Agent> second = Agent.start(vertx, new AgentOptions().setBasePort(base).setMaxPort(base), host);
      Throwable failure = second.transform(ar -> Future.succeededFuture(ar.cause())).await(30, TimeUnit.SECONDS);
      assertEquals("no free port in " + base + "-" + base + " on 127.0.0.1", failure.getMessage());
    } finally {
      first.close().await(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void closeReleasesThePortAtOnce(Vertx vertx) throws Exception {
    Agent agent = Agent.start(vertx, range(), host).await(30, TimeUnit.SECONDS);
    int port = agent.port();
    assertEquals(base, port);
    agent.close().await(5, TimeUnit.SECONDS);
    // Vert.x completes close() as Netty closes the channel; the OS may release the socket a few ms later.
    long closed = System.nanoTime();
    dev.sessionhub.agent.testing.Poll.until(java.time.Duration.ofSeconds(1), "port " + port + " free after close",
        () -> FreePorts.isFree(port));
    long ms = (System.nanoTime() - closed) / 1_000_000;
    assertTrue(ms < 1000, "port " + port + " was free " + ms + " ms after close");
    Agent again = Agent.start(vertx, range(), host).await(30, TimeUnit.SECONDS);
    assertEquals(base, again.port(), "a new session takes the first port again: no zombie");
    again.close().await(5, TimeUnit.SECONDS);
  }
}
