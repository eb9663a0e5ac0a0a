package dev.sessionhub.shared.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BoundedOutputTest {

  @Test
  void shortOutputIsKeptWholeAndReadInSlices() {
    BoundedOutput out = new BoundedOutput(8, 8);
    out.append("hello ");
    out.append("world!");
    assertEquals("hello world!", out.text());
    BoundedOutput.Slice first = out.read(0, 5);
    assertEquals("hello", first.text());
    assertTrue(first.more());
    BoundedOutput.Slice rest = out.read(first.cursor(), 100);
    assertEquals(" world!", rest.text());
    assertEquals(12, rest.cursor());
    assertFalse(rest.more());
    assertEquals(0, out.dropped());
  }

  @Test
  void longOutputKeepsHeadAndTailAndReadersSkipTheMiddle() {
    BoundedOutput out = new BoundedOutput(4, 6);
    StringBuilder all = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      String line = i + ",";
      all.append(line);
      out.append(line);
    }
    String tail = all.substring(all.length() - 6);
    long dropped = all.length() - 10;
    assertEquals(dropped, out.dropped());
    assertEquals("0,1,\n[output truncated: " + dropped + " characters not kept]\n" + tail, out.text());
    BoundedOutput.Slice head = out.read(0, 100);
    assertEquals("0,1,", head.text());
    BoundedOutput.Slice jumped = out.read(head.cursor(), 100);
    assertEquals(dropped, jumped.skipped());
    assertEquals(tail, jumped.text());
    assertEquals(all.length(), jumped.cursor());
  }

  @Test
  void oneAppendLongerThanBothBoundsKeepsItsOwnEnds() {
    BoundedOutput out = new BoundedOutput(3, 3);
    out.append("abcdefghij");
    assertEquals("abc\n[output truncated: 4 characters not kept]\nhij", out.text());
    assertEquals(10, out.total());
  }

  @Test
  void aWaiterAheadOfTheOutputWakesOnlyOnceOutputPassesItsCursor() {
    BoundedOutput out = new BoundedOutput();
    AtomicInteger woken = new AtomicInteger();
    out.whenChanged(5, woken::incrementAndGet);
    out.append("abc");
    assertEquals(0, woken.get(), "3 characters do not pass cursor 5");
    out.append("def");
    assertEquals(1, woken.get());
  }

  @Test
  void waitersWakeOnOutputOrEndAndEndHooksOnlyOnEnd() {
    BoundedOutput out = new BoundedOutput();
    AtomicInteger woken = new AtomicInteger();
    AtomicInteger ended = new AtomicInteger();
    assertTrue(out.whenChanged(0, woken::incrementAndGet));
    out.whenEnded(ended::incrementAndGet);
    out.append("x");
    assertEquals(1, woken.get());
    assertEquals(0, ended.get());
    assertFalse(out.whenChanged(0, woken::incrementAndGet), "output past the cursor is there: runs at once");
    assertEquals(2, woken.get());
    Runnable forgotten = woken::incrementAndGet;
    out.whenChanged(1, forgotten);
    out.forget(forgotten);
    out.end();
    out.end();
    assertEquals(2, woken.get());
    assertEquals(1, ended.get());
  }
}
