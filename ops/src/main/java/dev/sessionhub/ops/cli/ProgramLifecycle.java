package dev.sessionhub.ops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.CountDownLatch;

/**
 * What the long-running programs share: announce readiness through a file that appears whole or not at all,
 * and run until SIGTERM/SIGINT/SIGHUP, or until their parent has ended ({@link ParentWatch} exits the same way),
 * then clean up before the JVM exits.
 */
final class ProgramLifecycle {

  private ProgramLifecycle() {
  }

  /** Writes {@code content} to {@code file} atomically (a temp file moved into place), so readers never see half. */
  static void writeReadyFile(Path file, String content) throws IOException {
    Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".ready", ".tmp");
    Files.writeString(tmp, content, StandardCharsets.UTF_8);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Blocks until the JVM is asked to stop, running {@code cleanup} (best effort) before it exits. */
  static void runUntilStopped(String name, ThrowingRunnable cleanup) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        cleanup.run();
      } catch (Exception ignored) {
        // shutting down: nothing left to report to
      } finally {
        stopped.countDown();
      }
    }, "sessionhub-" + name + "-shutdown"));
    stopped.await();
  }

  /** Cleanup that may throw. */
  @FunctionalInterface
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
