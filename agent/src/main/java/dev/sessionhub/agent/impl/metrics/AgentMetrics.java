package dev.sessionhub.agent.impl.metrics;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import java.util.concurrent.atomic.LongAdder;

/**
 * One agent's metrics for {@code GET /metrics}: XML-RPC calls by method, commands by outcome, the command queue's
 * depth, command run time, and the host's frame times where it reports them.
 *
 * <p>Recording is a {@link LongAdder} increment (no lock, no allocation), so it stays out of the way of the
 * session's main thread and the event loop. There is no meter registry per agent: a sim hosts thousands of agents
 * in one JVM, and a Micrometer registry costs ~2 ms and ~6.5 KB each (measured); the Prometheus model snapshots
 * (the library under Micrometer's Prometheus registry) are built from the adders only when scraped.
 *
 * <p>Labels are bounded: the method label is one of {@link #KNOWN_METHODS} or {@code other}; outcomes are fixed.
 */
public final class AgentMetrics {

  /** The methods an agent serves; any other name a client sends is counted as {@code other}. */
  public static final List<String> KNOWN_METHODS = List.of("server_data", "scene_objects", "command", "evaluate",
      "system.multicall", "system.listMethods", "system.methodHelp", "system.methodSignature");
  /** How a command ended: ran (ok), raised or failed (error), ran out of time (timeout), queue full (busy). */
  public static final List<String> OUTCOMES = List.of("ok", "error", "timeout", "busy");
  /** Upper bounds of the command duration buckets, in seconds. */
  static final double[] DURATION_BOUNDS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
      30, 60, 300, Double.POSITIVE_INFINITY};

  private final Map<String, LongAdder> calls = new LinkedHashMap<>();
  private final Map<String, LongAdder> commands = new LinkedHashMap<>();
  private final LongAdder httpRequests = new LongAdder();
  private final LongAdder refused = new LongAdder();
  private final LongAdder[] durationBuckets = new LongAdder[DURATION_BOUNDS.length];
  private final LongAdder durationNanos = new LongAdder();
  private volatile IntSupplier queueDepth = () -> 0;
  private volatile Supplier<Map<String, Object>> hostFacts = Map::of;

  public AgentMetrics() {
    for (String m : KNOWN_METHODS) {
      calls.put(m, new LongAdder());
    }
    calls.put("other", new LongAdder());
    for (String o : OUTCOMES) {
      commands.put(o, new LongAdder());
    }
    for (int i = 0; i < durationBuckets.length; i++) {
      durationBuckets[i] = new LongAdder();
    }
  }

  /** Where the queue depth and the host's frame facts (its {@code /status} extras) are read at scrape time. */
  public AgentMetrics readFrom(IntSupplier queueDepth, Supplier<Map<String, Object>> hostFacts) {
    this.queueDepth = queueDepth;
    this.hostFacts = hostFacts;
    return this;
  }

  /** One HTTP request reached the agent (any path, before auth). */
  public void httpRequest() {
    httpRequests.increment();
  }

  /** One request was refused (no or wrong token, body too large or too slow, bad path or method). */
  public void refused() {
    refused.increment();
  }

  /** One decoded XML-RPC call; {@code method} as the client sent it (counted as {@code other} if unknown). */
  public void call(String method) {
    LongAdder adder = calls.get(method);
    (adder != null ? adder : calls.get("other")).increment();
  }

  /** A command's end; {@code outcome} one of {@link #OUTCOMES}. */
  public void commandEnded(String outcome) {
    LongAdder adder = commands.get(outcome);
    (adder != null ? adder : commands.get("error")).increment();
  }

  /** How long a command ran on the session's main thread. */
  public void commandRan(long nanos) {
    durationNanos.add(nanos);
    double seconds = nanos / 1e9;
    for (int i = 0; i < DURATION_BOUNDS.length; i++) {
      if (seconds <= DURATION_BOUNDS[i]) {
        durationBuckets[i].increment();
        return;
      }
    }
  }

  /** The metrics in Prometheus' text exposition format (0.0.4). */
  public byte[] scrape() {
    MetricSnapshots.Builder all = MetricSnapshots.builder();
    all.metricSnapshot(counter("sessionhub_agent_http_requests", "HTTP requests received, any path",
        Map.of("", httpRequests)));
    all.metricSnapshot(counter("sessionhub_agent_refused_requests",
        "Requests refused: missing or wrong token, body too large or too slow, unknown path or method",
        Map.of("", refused)));
    all.metricSnapshot(labelled("sessionhub_agent_rpc_calls", "XML-RPC calls decoded, by method", "method", calls));
    all.metricSnapshot(labelled("sessionhub_agent_commands", "Commands (command, evaluate) ended, by outcome",
        "outcome", commands));
    all.metricSnapshot(GaugeSnapshot.builder().name("sessionhub_agent_command_queue_depth")
        .help("Commands queued or running on the session's main thread now")
        .dataPoint(GaugeDataPointSnapshot.builder().value(queueDepth.getAsInt()).build()).build());
    all.metricSnapshot(durations());
    GaugeSnapshot frames = frames();
    if (frames != null) {
      all.metricSnapshot(frames);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    try {
      new PrometheusTextFormatWriter(false).write(out, all.build());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** The content type of {@link #scrape()}. */
  public static String contentType() {
    return PrometheusTextFormatWriter.CONTENT_TYPE;
  }

  private static CounterSnapshot counter(String name, String help, Map<String, LongAdder> one) {
    return CounterSnapshot.builder().name(name).help(help)
        .dataPoint(CounterDataPointSnapshot.builder().value(one.get("").sum()).build()).build();
  }

  private static CounterSnapshot labelled(String name, String help, String label, Map<String, LongAdder> byValue) {
    CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
    byValue.forEach((value, adder) -> b.dataPoint(CounterDataPointSnapshot.builder()
        .labels(Labels.of(label, value)).value(adder.sum()).build()));
    return b.build();
  }

  private HistogramSnapshot durations() {
    long[] counts = new long[durationBuckets.length];
    for (int i = 0; i < counts.length; i++) {
      counts[i] = durationBuckets[i].sum();
    }
    return HistogramSnapshot.builder().name("sessionhub_agent_command_duration_seconds")
        .help("Time commands ran on the session's main thread (queue wait excluded)")
        .dataPoint(HistogramDataPointSnapshot.builder()
            .classicHistogramBuckets(ClassicHistogramBuckets.of(DURATION_BOUNDS, counts))
            .sum(durationNanos.sum() / 1e9).build())
        .build();
  }

  /** The host's recent frame times, when it reports them ({@code frame_p50_us}, {@code frame_p99_us}, ...). */
  private GaugeSnapshot frames() {
    Map<String, Object> facts = hostFacts.get();
    GaugeSnapshot.Builder b = GaugeSnapshot.builder().name("sessionhub_agent_frame_duration_seconds")
        .help("Main-loop frame time over the recent frames (p50, p99, max), where the host reports it");
    boolean any = false;
    for (Map.Entry<String, String> q : Map.of("frame_p50_us", "p50", "frame_p99_us", "p99", "frame_max_us", "max")
        .entrySet()) {
      if (facts.get(q.getKey()) instanceof Number n) {
        b.dataPoint(GaugeDataPointSnapshot.builder().labels(Labels.of("stat", q.getValue()))
            .value(n.doubleValue() / 1e6).build());
        any = true;
      }
    }
    return any ? b.build() : null;
  }
}
