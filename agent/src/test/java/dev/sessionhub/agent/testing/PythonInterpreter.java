package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A CPython the tests run: {@code python3}, or CPython 2.7 through pyenv ({@code PYENV_VERSION=2.7.18 python}).
 * {@link #require()} skips the calling test with a message when the interpreter is absent, and fails it instead
 * when {@code CI=true}: CI machines must have both.
 */
public record PythonInterpreter(String label, List<String> command, Map<String, String> environment,
    String expectedVersion) {

  public static PythonInterpreter python3() {
    return new PythonInterpreter("python3", List.of("python3"), Map.of(), "3.");
  }

  public static PythonInterpreter cpython27() {
    return new PythonInterpreter("cpython2.7", List.of("python"), Map.of("PYENV_VERSION", "2.7.18"), "2.7.");
  }

  /** A process builder running this interpreter with {@code args}. */
  public ProcessBuilder builder(String... args) {
    List<String> all = new ArrayList<>(command);
    all.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(all);
    builder.environment().putAll(environment);
    return builder;
  }

  /** Skips (or, under CI=true, fails) the test unless this interpreter runs and has the expected version. */
  public PythonInterpreter require() {
    String problem = problem();
    if (problem != null) {
      String message = label + " is not available here (" + problem + ")"
          + (label.equals("cpython2.7") ? "; install it with pyenv: pyenv install 2.7.18" : "");
      if ("true".equalsIgnoreCase(System.getenv("CI"))) {
        Assertions.fail(message + " and CI=true requires it");
      }
      Assumptions.abort(message + ": skipped");
    }
    return this;
  }

  private String problem() {
    try {
      Process p = builder("-c", "import platform; print(platform.python_version())").redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "it did not answer within 30 s";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return p.exitValue() == 0 && out.startsWith(expectedVersion) ? null : "it says: " + out;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
