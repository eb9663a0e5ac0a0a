package dev.sessionhub.ops.bench;

import com.hazelcast.core.HazelcastInstance;
import dev.sessionhub.hub.HubOptions;
import dev.sessionhub.hub.impl.cluster.HazelcastSetup;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.inventory.Inventory;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.Source;
import dev.sessionhub.shared.model.SessionInfo;
import dev.sessionhub.shared.selector.Selector;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Benchmark: inventory lookup by selector over 10,000 sessions. One embedded Hazelcast member (the hub's own
 * configuration, {@link HazelcastSetup}) holds 10,000 synthetic {@link SessionRecord}s put through
 * {@link Inventory#put}; each selector is then timed through {@link Inventory#find} (Hazelcast predicate over the
 * stored JSON, every match decoded back into a record, sorted), after a warm-up. Same run, same records, the
 * baseline: a plain linear scan over an {@code ArrayList} of the records evaluating
 * {@code selector.matches(record.subject())} and sorting the same way (what a hub without Hazelcast predicates
 * would do). Also the heap each stored session costs. Target: p99 under 10 ms for every selector.
 *
 * <p>usage: {@code java <the launcher's hub flags> -cp sessionhub.jar dev.sessionhub.ops.bench.LookupBench
 * [SESSIONS [ITERATIONS [WARMUP]]]} (defaults 10000 200 100)
 */
public final class LookupBench {

  private static final String[] APPS = {"blender", "maya", "houdini", "nuke"};
  private static final Map<String, String> VERSIONS = Map.of("blender", "4.2.3", "maya", "2025.2",
      "houdini", "20.5.332", "nuke", "15.1v2");
  private static final Map<String, String> EXTENSIONS = Map.of("blender", "blend", "maya", "ma",
      "houdini", "hip", "nuke", "nk");
  private static final double TARGET_P99_MS = 10.0;
  private static final Comparator<SessionRecord> ORDER =
      Comparator.comparing(SessionRecord::host).thenComparingInt(SessionRecord::port);

  private LookupBench() {
  }

  public static void main(String[] args) throws Exception {
    int sessions = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    int iterations = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 100;

    Vertx vertx = Vertx.vertx();
    HazelcastInstance hz = HazelcastSetup.start(new HubOptions()
        .setClusterName("lookupbench-" + UUID.randomUUID().toString().substring(0, 8))
        .setHazelcastPort(freePort()));
    try {
      run(vertx, hz, sessions, iterations, warmup);
    } finally {
      vertx.close().await();
      hz.shutdown();
    }
  }

  private static void run(Vertx vertx, HazelcastInstance hz, int sessions, int iterations, int warmup)
      throws Exception {
    Inventory inventory = new Inventory(vertx, hz);
    new dev.sessionhub.hub.impl.inventory.InventoryEvents(vertx, inventory).start();
    String hubId = HubIds.local(hz);

    long heap0 = usedHeapAfterGc();
    List<SessionRecord> records = synthetic(sessions, hubId);
    long heap1 = usedHeapAfterGc();
    long loadStart = System.nanoTime();
    for (int from = 0; from < records.size(); from += 500) {
      List<Future<Void>> puts = new ArrayList<>();
      for (SessionRecord r : records.subList(from, Math.min(records.size(), from + 500))) {
        puts.add(inventory.put(r));
      }
      Future.all(puts).await();
    }
    long loadMillis = (System.nanoTime() - loadStart) / 1_000_000;
    long heap2 = usedHeapAfterGc();
    int stored = inventory.size().await();
    long viewDeadline = System.nanoTime() + 60_000_000_000L;
    while (inventory.view().size() < stored && System.nanoTime() < viewDeadline) {
      java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L);
    }
    if (stored != sessions) {
      throw new IllegalStateException("inventory holds " + stored + " sessions, expected " + sessions);
    }

    SessionRecord probe = records.get(sessions / 2 + 17);
    List<String> selectors = List.of("app=blender", "host=render042", "tag.show=abc app=maya", "object=Cube17",
        "id=" + probe.info().sessionId(), "host=render0* !app=nuke", "*");

    System.out.printf(Locale.ROOT, "== inventory lookup benchmark (%d cores, %d sessions, %d iterations after %d "
            + "warm-up, one Hazelcast member) ==%n", Runtime.getRuntime().availableProcessors(), sessions,
        iterations, warmup);
    System.out.printf(Locale.ROOT, "loaded %d sessions with Inventory.put in %d ms%n", sessions, loadMillis);
    System.out.printf(Locale.ROOT, "heap per session: %.0f bytes stored in Hazelcast (JSON value + entry), "
            + "%.0f bytes as decoded SessionRecord objects (the ArrayList baseline)%n",
        (heap2 - heap1) / (double) sessions, (heap1 - heap0) / (double) sessions);
    System.out.printf("%-34s %8s | %27s | %27s | %27s | %s%n", "selector", "matches",
        "hub find (local view)", "Hazelcast predicates", "ArrayList scan p50/p99/max", "p99 < 10 ms");

    List<String> misses = new ArrayList<>();
    for (String text : selectors) {
      Selector selector = Selector.parse(text);
      Supplier<List<SessionRecord>> viaInventory = () -> inventory.find(selector).await();
      Supplier<List<SessionRecord>> viaPredicates = () -> inventory.findInCluster(selector).await();
      Supplier<List<SessionRecord>> viaList = () -> linear(records, selector);
      int found = viaInventory.get().size();
      int list = viaList.get().size();
      if (found != list) {
        throw new IllegalStateException(text + ": Inventory.find found " + found + ", the linear scan " + list);
      }
      double[] a = time(viaInventory, warmup, iterations);
      double[] p = time(viaPredicates, warmup, iterations);
      double[] b = time(viaList, warmup, iterations);
      boolean met = a[1] < TARGET_P99_MS;
      if (!met) {
        misses.add(text);
      }
      System.out.printf(Locale.ROOT, "%-34s %8d | %27s | %27s | %27s | %s%n", abbreviate(text), found, stats(a),
          stats(p), stats(b),
          met ? "yes" : "NO (missed)");
    }
    System.out.println(misses.isEmpty()
        ? "target p99 < 10 ms: met for every selector"
        : "target p99 < 10 ms: MISSED for " + misses.size() + " of " + selectors.size() + " selectors: "
            + String.join(", ", misses.stream().map(LookupBench::abbreviate).toList()));
  }

  /** What a hub without Hazelcast predicates would do: evaluate the selector on every record, then sort. */
  private static List<SessionRecord> linear(List<SessionRecord> records, Selector selector) {
    List<SessionRecord> out = new ArrayList<>();
    for (SessionRecord r : records) {
      if (selector.matches(r.subject())) {
        out.add(r);
      }
    }
    out.sort(ORDER);
    return out;
  }

  /** p50, p99, max in ms over {@code iterations} calls after {@code warmup} untimed ones. */
  private static double[] time(Supplier<List<SessionRecord>> query, int warmup, int iterations) {
    long sink = 0;
    for (int i = 0; i < warmup; i++) {
      sink += query.get().size();
    }
    long[] nanos = new long[iterations];
    for (int i = 0; i < iterations; i++) {
      long start = System.nanoTime();
      sink += query.get().size();
      nanos[i] = System.nanoTime() - start;
    }
    if (sink == Long.MIN_VALUE) {
      System.out.println(sink);
    }
    Arrays.sort(nanos);
    return new double[] {percentile(nanos, 0.50), percentile(nanos, 0.99), nanos[nanos.length - 1] / 1e6};
  }

  private static double percentile(long[] sorted, double p) {
    int index = Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1));
    return sorted[index] / 1e6;
  }

  private static String stats(double[] s) {
    return String.format(Locale.ROOT, "%.2f / %.2f / %.2f ms", s[0], s[1], s[2]);
  }

  private static String abbreviate(String selector) {
    return selector.length() <= 34 ? selector : selector.substring(0, 31) + "...";
  }

  /** 10,000 sessions: hosts render001..render100, ports 8000..8099, four apps, two shows, a few objects each. */
  public static List<SessionRecord> synthetic(int count, String hubId) {
    Random random = new Random(42);
    Instant now = Instant.now();
    List<SessionRecord> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      String host = String.format(Locale.ROOT, "render%03d", i / 100 + 1);
      int port = 8000 + i % 100;
      String app = APPS[random.nextInt(APPS.length)];
      String show = random.nextBoolean() ? "abc" : "xyz";
      List<String> objects = new ArrayList<>(List.of("Camera", "Light"));
      int extra = 1 + random.nextInt(4);
      for (int k = 0; k < extra; k++) {
        objects.add((random.nextBoolean() ? "Cube" : "Sphere") + random.nextInt(100));
      }
      Map<String, String> tags = new LinkedHashMap<>();
      tags.put("show", show);
      String shot = String.format(Locale.ROOT, "sh%03d", 10 * (1 + random.nextInt(40)));
      SessionInfo info = new SessionInfo(host, VERSIONS.get(app),
          "/shows/" + show + "/" + shot + "/" + app + "/" + shot + "_v" + (1 + random.nextInt(30)) + "."
              + EXTENSIONS.get(app),
          app, objects, 10_000 + random.nextInt(50_000), port,
          new UUID(random.nextLong(), random.nextLong()).toString(), app, "0.1.0",
          now.minusSeconds(random.nextInt(86_400)).toString(), true, false, "artist" + random.nextInt(40), tags);
      out.add(new SessionRecord(SessionRecord.address(host, port), host, port,
          "http://" + host + ":" + port + "/", info, Source.SCAN, hubId, now, now, Duration.ofMinutes(10)));
    }
    return out;
  }

  private static long usedHeapAfterGc() throws InterruptedException {
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      return s.getLocalPort();
    }
  }
}
