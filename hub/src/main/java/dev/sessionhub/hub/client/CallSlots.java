package dev.sessionhub.hub.client;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * How many agent calls may be in flight at once ({@code --agent-calls}) across all agents, and a bounded FIFO of
 * calls waiting for a slot.
 *
 * <p>Why: a broadcast to thousands of sessions must neither open thousands of connections at once nor queue
 * without limit. A call beyond the queue is refused at once ({@link Offer#FULL}, which the client reports as
 * OVERLOADED). A waiting call that gives up (its deadline) leaves the queue at once, so the bound counts only
 * calls that still want to run. Slots are handed on in arrival order; a waiter that no longer wants its slot
 * ({@link Waiter#admit()} false) passes it to the next.
 */
final class CallSlots {

  /** One call waiting for a slot. */
  interface Waiter {
    /** The call gets its slot; false if it has already ended (the slot goes to the next waiter). */
    boolean admit();

    /** The slots were closed while the call waited. */
    void refuse();
  }

  /** What became of an offer. */
  enum Offer { ADMITTED, QUEUED, FULL, CLOSED }

  private final int size;
  private final int maxQueued;
  private final LinkedHashSet<Waiter> waiting = new LinkedHashSet<>();
  private final Runnable whenClosedAndIdle;
  private int inFlight;
  private boolean closed;

  CallSlots(int size, int maxQueued, Runnable whenClosedAndIdle) {
    this.size = size;
    this.maxQueued = maxQueued;
    this.whenClosedAndIdle = whenClosedAndIdle;
  }

  synchronized Offer offer(Waiter waiter) {
    if (closed) {
      return Offer.CLOSED;
    }
    if (inFlight < size) {
      inFlight++;
      return Offer.ADMITTED;
    }
    if (waiting.size() >= maxQueued) {
      return Offer.FULL;
    }
    waiting.add(waiter);
    return Offer.QUEUED;
  }

  /** A waiting call gave up; true if it was still waiting (it never held a slot). */
  synchronized boolean withdraw(Waiter waiter) {
    return waiting.remove(waiter);
  }

  /** A call that held a slot ended: the slot goes to the first waiter that still wants it. */
  void release() {
    while (true) {
      Waiter next;
      synchronized (this) {
        Iterator<Waiter> first = waiting.iterator();
        if (!first.hasNext()) {
          inFlight--;
          if (!closed || inFlight > 0) {
            return;
          }
          break;
        }
        next = first.next();
        first.remove();
      }
      if (next.admit()) {
        return;
      }
    }
    whenClosedAndIdle.run();
  }

  int maxQueued() {
    return maxQueued;
  }

  /** Calls holding a slot now. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** Calls waiting for a slot now. */
  synchronized int queued() {
    return waiting.size();
  }

  /** Refuses later offers and every waiting call; calls in flight end by their deadlines. */
  void close() {
    List<Waiter> refused;
    boolean idle;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      refused = new ArrayList<>(waiting);
      waiting.clear();
      idle = inFlight == 0;
    }
    refused.forEach(Waiter::refuse);
    if (idle) {
      whenClosedAndIdle.run();
    }
  }
}
