package dev.sessionhub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the real {@code ops/bin/sessionhub} launcher as a child process, as a user would. */
public final class Launcher {

  /** A finished run: exit code and everything printed. */
  public record Result(int exitCode, String stdout, String stderr) {
  }

  private Launcher() {
  }

  public static Path script() {
    Path fromModule = Path.of("bin", "sessionhub").toAbsolutePath();
    return Files.isExecutable(fromModule) ? fromModule : Path.of("ops", "bin", "sessionhub").toAbsolutePath();
  }

  /**
   * Starts a long-running subcommand; output goes to {@code log}. It stops by itself once this test JVM has ended
   * (SESSIONHUB_PARENT_PID), so a test run that is killed leaves no hub or session behind.
   */
  public static Process start(Path log, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(script().toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SESSIONHUB_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
    return builder.start();
  }

  /** Runs a subcommand to completion (at most {@code seconds}). */
  public static Result run(int seconds, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(script().toString()));
    command.addAll(List.of(args));
    Path out = Files.createTempFile("sessionhub-out", ".txt");
    Path err = Files.createTempFile("sessionhub-err", ".txt");
    try {
      Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("sessionhub " + String.join(" ", args) + " did not finish in " + seconds + " s");
      }
      return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
