package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Finds free loopback ports at run time so suites never collide on fixed ports. */
public final class FreePorts {

  private FreePorts() {
  }

  /** One free port, chosen by the OS. */
  public static int one() {
    try (ServerSocket s = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first port of {@code count} consecutive ports that are all free right now. */
  public static int range(int count) {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = ThreadLocalRandom.current().nextInt(20_000, 60_000 - count);
      boolean free = true;
      for (int p = base; p < base + count && free; p++) {
        free = isFree(p);
      }
      if (free) {
        return base;
      }
    }
    throw new IllegalStateException("no run of " + count + " free ports found");
  }

  public static boolean isFree(int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
