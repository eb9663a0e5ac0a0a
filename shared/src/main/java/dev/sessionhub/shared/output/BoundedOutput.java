package dev.sessionhub.shared.output;

import java.util.ArrayList;
import java.util.List;

/**
 * What one command printed, in bounded memory however much it prints: the first {@code headChars} characters and
 * the last {@code tailChars} are kept, the middle is counted. Thread-safe: the command's thread appends while
 * readers follow it by cursor ({@link #read}) and wait for more ({@link #whenChanged}).
 *
 * <p>A cursor is a position in everything the command printed (UTF-16 units). A reader whose cursor points into
 * the middle that was not kept jumps to the oldest kept tail character and is told how many it skipped. The whole
 * text ({@link #text()}) of an output longer than the bounds is head, a marker naming what was not kept, and tail.
 */
public final class BoundedOutput {

  /** Characters kept from the start of an output (512 Ki). */
  public static final int DEFAULT_HEAD_CHARS = 512 * 1024;
  /** Characters kept from the end of an output (512 Ki). */
  public static final int DEFAULT_TAIL_CHARS = 512 * 1024;
  /** The most one {@link #read} returns. */
  public static final int MAX_READ_CHARS = 64 * 1024;

  /** A piece read from a cursor: the text, where the next read starts, what was skipped, whether more is there. */
  public record Slice(String text, long cursor, long skipped, boolean more) {
  }

  private final int headMax;
  private final int tailMax;
  /**
   * The tail, a ring over the positions after the head: position {@code p} is at {@code (p - headMax) % tailMax}.
   * It grows as output comes (most commands print a line or two) and wraps once it holds {@code tailMax}.
   */
  private char[] tail = new char[0];
  private final StringBuilder head = new StringBuilder();
  /** A reader waiting for output past its cursor. */
  private record Waiter(long cursor, Runnable wake) {
  }

  private final List<Waiter> waiters = new ArrayList<>();
  private final List<Runnable> endHooks = new ArrayList<>();
  private long total;
  private boolean ended;

  public BoundedOutput() {
    this(DEFAULT_HEAD_CHARS, DEFAULT_TAIL_CHARS);
  }

  public BoundedOutput(int headChars, int tailChars) {
    if (headChars < 0 || tailChars < 1) {
      throw new IllegalArgumentException("head must be >= 0 and tail >= 1 characters");
    }
    this.headMax = headChars;
    this.tailMax = tailChars;
  }

  /** Appends what the command printed; wakes readers waiting for more. */
  public void append(CharSequence text) {
    if (text.length() == 0) {
      return;
    }
    List<Runnable> woken;
    synchronized (this) {
      int i = 0;
      int n = text.length();
      while (i < n && head.length() < headMax) {
        head.append(text.charAt(i++));
        total++;
      }
      if (n - i > tailMax) {
        total += n - i - tailMax;
        i = n - tailMax;
      }
      for (; i < n; i++) {
        putTail(total++, text.charAt(i));
      }
      woken = takeWaiters(total);
    }
    woken.forEach(Runnable::run);
  }

  /** The command ended: no more output comes; wakes waiting readers. */
  public void end() {
    List<Runnable> woken;
    synchronized (this) {
      if (ended) {
        return;
      }
      ended = true;
      woken = new ArrayList<>(takeWaiters(Long.MAX_VALUE));
      woken.addAll(endHooks);
      endHooks.clear();
    }
    woken.forEach(Runnable::run);
  }

  /** Runs {@code hook} once when the output ends (at once, on this thread, if it has). */
  public void whenEnded(Runnable hook) {
    synchronized (this) {
      if (!ended) {
        endHooks.add(hook);
        return;
      }
    }
    hook.run();
  }

  public synchronized boolean ended() {
    return ended;
  }

  /** Characters printed so far, kept or not. */
  public synchronized long total() {
    return total;
  }

  /** Characters printed but not kept. */
  public synchronized long dropped() {
    return total - head.length() - tailLength();
  }

  /**
   * Runs {@code waiter} once, on the appending thread, when output is appended past {@code cursor} or the output
   * ends; at once (on this thread) if either already happened. Returns false if it ran at once.
   */
  public boolean whenChanged(long cursor, Runnable waiter) {
    synchronized (this) {
      if (!ended && cursor >= total) {
        waiters.add(new Waiter(cursor, waiter));
        return true;
      }
    }
    waiter.run();
    return false;
  }

  /** Forgets a waiter registered by {@link #whenChanged} (its reader gave up waiting). */
  public synchronized void forget(Runnable waiter) {
    waiters.removeIf(w -> w.wake() == waiter);
  }

  /** What was printed from {@code cursor} on, at most {@code maxChars} (and at most {@link #MAX_READ_CHARS}). */
  public synchronized Slice read(long cursor, int maxChars) {
    if (cursor < 0) {
      throw new IllegalArgumentException("cursor must be >= 0");
    }
    int limit = Math.min(Math.max(1, maxChars), MAX_READ_CHARS);
    long from = Math.min(cursor, total);
    long skipped = 0;
    String text;
    long tailStart = total - tailLength();
    if (from < head.length()) {
      int end = endOfSlice(head, (int) from, (int) Math.min(head.length(), from + limit));
      text = head.substring((int) from, end);
      if (end == head.length() && tailStart == end && text.length() < limit) {
        text += tailText(end, Math.min(total, end + limit - text.length()));
      }
    } else {
      if (from < tailStart) {
        skipped = tailStart - from;
        from = tailStart;
      }
      text = tailText(from, Math.min(total, from + limit));
    }
    long next = from + text.length();
    return new Slice(text, next, skipped, next < total);
  }

  /** Everything kept: all of it if nothing was dropped, else head, a marker naming what was not kept, and tail. */
  public synchronized String text() {
    long dropped = total - head.length() - tailLength();
    String tailText = tailText(total - tailLength(), total);
    if (dropped == 0) {
      return head + tailText;
    }
    return head + "\n[output truncated: " + dropped + " characters not kept]\n" + tailText;
  }

  private void putTail(long position, char c) {
    long index = position - headMax;
    if (index >= tail.length && tail.length < tailMax) {
      long grown = Math.max(Math.max(256, tail.length * 2L), index + 1);
      tail = java.util.Arrays.copyOf(tail, (int) Math.min(tailMax, grown));
    }
    tail[(int) (index % tailMax)] = c;
  }

  private int tailLength() {
    return (int) Math.min(total - head.length(), tailMax);
  }

  private String tailText(long from, long to) {
    StringBuilder out = new StringBuilder((int) (to - from));
    for (long p = from; p < to; p++) {
      out.append(tail[(int) ((p - headMax) % tailMax)]);
    }
    if (out.length() > 1 && to < total && Character.isHighSurrogate(out.charAt(out.length() - 1))) {
      out.setLength(out.length() - 1);
    }
    return out.toString();
  }

  /** Ends a slice before a surrogate pair it would split (unless that leaves it empty). */
  private static int endOfSlice(CharSequence text, int from, int end) {
    if (end - from > 1 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
      return end - 1;
    }
    return end;
  }

  /** Removes and returns the waiters whose cursor is before {@code upTo}. */
  private List<Runnable> takeWaiters(long upTo) {
    if (waiters.isEmpty()) {
      return List.of();
    }
    List<Runnable> woken = new ArrayList<>();
    waiters.removeIf(w -> {
      if (w.cursor() < upTo) {
        woken.add(w.wake());
        return true;
      }
      return false;
    });
    return woken;
  }
}
