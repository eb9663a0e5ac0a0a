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

  /** Another CPython through pyenv ({@code PYENV_VERSION=version python}), e.g. "3.7.16". */
  public static PythonInterpreter pyenv(String version) {
    return new PythonInterpreter("cpython" + version, List.of("python"), Map.of("PYENV_VERSION", version),
        version + " ");
  }

  /** Skips the test, even under CI=true, unless this interpreter is present: for versions CI need not have. */
  public PythonInterpreter optional() {
    String problem = problem();
    Assumptions.assumeTrue(problem == null, () -> label + " is not available here (" + problem + "): skipped");
    return this;
  }

  /**
   * A process builder running this interpreter with {@code args}: the interpreter's own executable once
   * {@link #require()} found it (pyenv's shims are bash scripts that take seconds on a busy machine and are what a
   * signal would reach first), else the command as given.
   */
  public ProcessBuilder builder(String... args) {
    String resolved = RESOLVED.get(label);
    List<String> all = new ArrayList<>(resolved == null ? command : List.of(resolved));
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

  private static final Map<String, String> RESOLVED = new java.util.concurrent.ConcurrentHashMap<>();

  private String problem() {
    if (RESOLVED.containsKey(label)) {
      return null;
    }
    try {
      Process p = builder("-c", "import platform, sys; print(platform.python_version() + ' ' + sys.executable)")
          .redirectErrorStream(true).start();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "it did not answer within 30 s";
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.exitValue() != 0 || !out.startsWith(expectedVersion) || !out.contains(" ")) {
        return "it says: " + out;
      }
      RESOLVED.put(label, out.substring(out.indexOf(' ') + 1).trim());
      return null;
    } catch (IOException e) {
      return e.getMessage();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }
}
