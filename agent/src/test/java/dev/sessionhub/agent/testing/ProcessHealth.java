package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

/**
 * What this JVM holds: live threads, open file descriptors ({@code /proc/self/fd}) and heap in use after a GC.
 * A suite takes a baseline after warming up, runs its abuse, then {@link #assertBackTo} polls (with a deadline)
 * until the process holds no more than the baseline plus a small margin: no thread, socket or memory leaks.
 */
public record ProcessHealth(int threads, long fds, long heapBytes) {

  /**
   * This JVM now. Threads of Vert.x's worker pools are not counted: those pools start empty and grow, under load,
   * to their fixed size (20) and stay there, which is not a leak; what this guards against is growth without a
   * bound (a thread per connection or per call that never ends).
   */
  public static ProcessHealth now() {
    int threads = (int) Thread.getAllStackTraces().keySet().stream()
        .filter(t -> !t.getName().startsWith("vert.x-worker-thread-")
            && !t.getName().startsWith("vert.x-internal-blocking-"))
        .count();
    return new ProcessHealth(threads, openFds(), heapAfterGc());
  }

  /**
   * What another process (a child agent) holds, from {@code /proc/PID}: threads, descriptors, and its resident
   * memory in place of a heap; -1 for what cannot be read.
   */
  public static ProcessHealth ofProcess(long pid) {
    Path proc = Path.of("/proc", String.valueOf(pid));
    int threads = -1;
    long rss = -1;
    try {
      for (String line : Files.readAllLines(proc.resolve("status"))) {
        if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.substring(8).trim());
        } else if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.substring(6).replace("kB", "").trim()) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      return new ProcessHealth(-1, -1, -1);
    }
    long fds;
    try (Stream<Path> list = Files.list(proc.resolve("fd"))) {
      fds = list.count();
    } catch (IOException e) {
      fds = -1;
    }
    return new ProcessHealth(threads, fds, rss);
  }

  /** Open descriptors of this process, or -1 where {@code /proc} is not available. */
  public static long openFds() {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  /**
   * Waits until threads and descriptors are back within {@code threadMargin}/{@code fdMargin} of {@code base}
   * and the heap after GC has grown by less than {@code heapMarginBytes}; fails with both snapshots otherwise.
   */
  public static ProcessHealth assertBackTo(ProcessHealth base, int threadMargin, int fdMargin, long heapMarginBytes,
      Duration deadline) {
    return assertBackTo(base, threadMargin, fdMargin, heapMarginBytes, deadline, ProcessHealth::now);
  }

  /** As above, sampling with {@code sample} (e.g. a child process's {@link #ofProcess}). */
  public static ProcessHealth assertBackTo(ProcessHealth base, int threadMargin, int fdMargin, long heapMarginBytes,
      Duration deadline, java.util.function.Supplier<ProcessHealth> sample) {
    ProcessHealth[] last = new ProcessHealth[1];
    try {
      Poll.until(deadline, "threads, descriptors and heap back near the baseline", () -> {
        last[0] = sample.get();
        return last[0].threads <= base.threads + threadMargin
            && (base.fds < 0 || last[0].fds <= base.fds + fdMargin)
            && last[0].heapBytes <= base.heapBytes + heapMarginBytes;
      });
    } catch (AssertionError e) {
      throw new AssertionError("the process did not return near its baseline within " + deadline + ": baseline "
          + base + ", now " + last[0] + " (margins: " + threadMargin + " threads, " + fdMargin + " fds, "
          + heapMarginBytes / (1024 * 1024) + " MiB); this JVM's threads by name: " + threadsByName(), e);
    }
    return last[0];
  }

  /** This JVM's live threads, counted by name with digits dropped (what a leak looks like). */
  public static java.util.Map<String, Long> threadsByName() {
    return Thread.getAllStackTraces().keySet().stream().collect(java.util.stream.Collectors.groupingBy(
        t -> t.getName().replaceAll("\\d+", "#"), java.util.TreeMap::new, java.util.stream.Collectors.counting()));
  }

  @Override
  public String toString() {
    return threads + " threads, " + fds + " fds, " + heapBytes / (1024 * 1024) + " MiB heap";
  }
}
