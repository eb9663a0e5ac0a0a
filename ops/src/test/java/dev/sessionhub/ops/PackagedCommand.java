package dev.sessionhub.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command as a user of an installed package would: no SESSIONHUB_JAR from the build (the command must find its
 * own jar and Java runtime); long-running programs stop by themselves once this test JVM has ended
 * (SESSIONHUB_PARENT_PID).
 */
public record PackagedCommand(String executable) {

  /** Starts {@code executable args}; output goes to {@code log}. */
  public Process start(Path log, String... args) throws IOException {
    ProcessBuilder builder = builder(args).redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().put("SESSIONHUB_PARENT_PID", String.valueOf(ProcessHandle.current().pid()));
    return builder.start();
  }

  /** Runs {@code executable args} to completion (at most {@code seconds}). */
  public Launcher.Result run(int seconds, String... args) throws IOException, InterruptedException {
    return runProcess(seconds, builder(args));
  }

  /** Runs any command to completion (at most {@code seconds}): stdout and stderr apart. */
  public static Launcher.Result runProcess(int seconds, ProcessBuilder builder)
      throws IOException, InterruptedException {
    Path out = Files.createTempFile("packaged-out", ".txt");
    Path err = Files.createTempFile("packaged-err", ".txt");
    try {
      Process p = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(seconds, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", builder.command()) + " did not finish in " + seconds + " s");
      }
      return new Launcher.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  private ProcessBuilder builder(String... args) {
    List<String> command = new ArrayList<>(List.of(executable));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().remove("SESSIONHUB_JAR");
    return builder;
  }
}
