package dev.sessionhub.shared.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a short python3 script, feeding stdin and returning stdout; skips when python3 is absent. */
final class PythonRunner {
  private PythonRunner() {}

  static String run(String script, byte[] stdin) throws Exception {
    Process process;
    try {
      process = new ProcessBuilder("python3", "-c", script)
          .redirectError(ProcessBuilder.Redirect.PIPE)
          .start();
    } catch (IOException noPython) {
      assumeTrue(false, "python3 is not available: " + noPython.getMessage());
      throw noPython;
    }
    CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(process.getInputStream()));
    CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
    try (OutputStream in = process.getOutputStream()) {
      in.write(stdin);
    }
    boolean done = process.waitFor(30, TimeUnit.SECONDS);
    if (!done) {
      process.destroyForcibly();
    }
    assertTrue(done, "python3 did not finish");
    String stderr = new String(err.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), "python3 failed: " + stderr);
    return new String(out.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
  }

  private static byte[] readAll(InputStream in) {
    try (in) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
