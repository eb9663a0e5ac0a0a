package dev.sessionhub.hub.impl.discovery;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Is anything listening at host:port? A non-blocking TCP connect with a short timeout, closed at once: refused,
 * unreachable and timed-out connects all read as closed. Sends nothing, so probing never disturbs a session.
 *
 * <p>IP addresses are probed by one selector thread of this prober's own with plain NIO channels: a thousand
 * refused connects cost a few milliseconds instead of a Netty channel, pipeline and exception each (measured
 * ~10x slower through {@link NetClient}, see ops/BENCHMARKS.md). Host names go through the Vert.x
 * {@link NetClient}, whose resolver does not block. Results complete on the caller's Vert.x context.
 */
public final class PortProber implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(PortProber.class);
  private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:]*:[0-9a-fA-F:.]*");

  private final Vertx vertx;
  private final NetClient names;
  private final long timeoutNanos;
  private final Selector selector;
  private final Queue<Probe> submitted = new ConcurrentLinkedQueue<>();
  private final Thread loop;
  private volatile boolean closed;

  private static final class Probe {
    final InetSocketAddress address;
    final Context context;
    final Promise<PortState> promise = Promise.promise();
    final long deadline;
    SocketChannel channel;
    boolean done;

    Probe(InetSocketAddress address, Context context, long deadline) {
      this.address = address;
      this.context = context;
      this.deadline = deadline;
    }
  }

  public PortProber(Vertx vertx, Duration connectTimeout) {
    this.vertx = vertx;
    this.timeoutNanos = connectTimeout.toNanos();
    this.names = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) connectTimeout.toMillis())
        .setTcpNoDelay(true));
    try {
      this.selector = Selector.open();
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a selector for port probes", e);
    }
    this.loop = new Thread(this::run, "sessionhub-port-prober");
    loop.setDaemon(true);
    loop.start();
  }

  public Future<Boolean> isOpen(String host, int port) {
    return probe(host, port).map(state -> state == PortState.OPEN);
  }

  /** Open, refused, or silent (no answer in time, no route, no such host). */
  public Future<PortState> probe(String host, int port) {
    Context context = vertx.getOrCreateContext();
    if (closed) {
      return Future.succeededFuture(PortState.SILENT);
    }
    if (!IP_LITERAL.matcher(host).matches()) {
      return byName(host, port);
    }
    InetSocketAddress address;
    try {
      address = new InetSocketAddress(InetAddress.getByName(host), port); // a literal: no lookup
    } catch (UnknownHostException | IllegalArgumentException e) {
      return Future.succeededFuture(PortState.SILENT);
    }
    Probe probe = new Probe(address, context, System.nanoTime() + timeoutNanos);
    submitted.add(probe);
    selector.wakeup();
    return probe.promise.future();
  }

  private Future<PortState> byName(String host, int port) {
    return names.connect(port, host).transform(ar -> {
      if (ar.succeeded()) {
        ar.result().close();
        return Future.succeededFuture(PortState.OPEN);
      }
      return Future.succeededFuture(stateOf(ar.cause()));
    });
  }

  /** A refused connect is CLOSED; a timeout (Netty's is a ConnectException too), no route or anything else SILENT. */
  private static PortState stateOf(Throwable failure) {
    return failure instanceof ConnectException && !(failure instanceof io.netty.channel.ConnectTimeoutException)
        ? PortState.CLOSED : PortState.SILENT;
  }

  private void run() {
    ArrayDeque<Probe> pending = new ArrayDeque<>(); // every probe has the same timeout: deadline order = FIFO
    while (!closed) {
      try {
        Probe oldest = pending.peekFirst();
        long waitMs = oldest == null ? 0 : Math.max(1, (oldest.deadline - System.nanoTime()) / 1_000_000);
        selector.select(waitMs);
        for (Probe p; (p = submitted.poll()) != null; ) {
          start(p, pending);
        }
        Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
        while (keys.hasNext()) {
          SelectionKey key = keys.next();
          keys.remove();
          Probe p = (Probe) key.attachment();
          PortState state;
          try {
            state = p.channel.finishConnect() ? PortState.OPEN : PortState.SILENT;
          } catch (IOException failed) {
            state = stateOf(failed);
          }
          finish(p, state);
        }
        long now = System.nanoTime();
        while (!pending.isEmpty() && (pending.peekFirst().done || pending.peekFirst().deadline - now <= 0)) {
          finish(pending.pollFirst(), PortState.SILENT);
        }
      } catch (IOException | RuntimeException e) {
        LOG.warn("port prober loop: {}", e.toString());
      }
    }
    pending.forEach(p -> finish(p, PortState.SILENT));
    submitted.forEach(p -> finish(p, PortState.SILENT));
  }

  private void start(Probe p, ArrayDeque<Probe> pending) {
    try {
      p.channel = SocketChannel.open();
      p.channel.configureBlocking(false);
      if (p.channel.connect(p.address)) {
        finish(p, PortState.OPEN);
        return;
      }
      p.channel.register(selector, SelectionKey.OP_CONNECT, p);
      pending.addLast(p);
    } catch (IOException | RuntimeException failed) {
      finish(p, stateOf(failed));
    }
  }

  private static void finish(Probe p, PortState state) {
    if (p.done) {
      return;
    }
    p.done = true;
    if (p.channel != null) {
      try {
        p.channel.close();
      } catch (IOException ignored) {
        // closing a probe socket: nothing to do
      }
    }
    p.context.runOnContext(v -> p.promise.complete(state));
  }

  @Override
  public void close() {
    closed = true;
    selector.wakeup();
    try {
      loop.join(2000);
      selector.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException ignored) {
      // closing
    }
    names.close();
  }
}
