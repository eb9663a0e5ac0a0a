package dev.sessionhub.agent.impl.http;

import java.util.concurrent.atomic.LongAdder;

/** Counters an agent reports on {@code /status}: requests served, calls, faults and refusals. */
public final class AgentStats {

  private final LongAdder requests = new LongAdder();
  private final LongAdder calls = new LongAdder();
  private final LongAdder faults = new LongAdder();
  private final LongAdder refused = new LongAdder();

  void countRequest() {
    requests.increment();
  }

  void countCall() {
    calls.increment();
  }

  void countFault() {
    faults.increment();
  }

  void countRefusal() {
    refused.increment();
  }

  public long requests() {
    return requests.sum();
  }

  public long calls() {
    return calls.sum();
  }

  public long faults() {
    return faults.sum();
  }

  public long refused() {
    return refused.sum();
  }
}
