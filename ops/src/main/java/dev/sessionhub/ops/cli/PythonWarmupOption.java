package dev.sessionhub.ops.cli;

import java.util.Locale;
import picocli.CommandLine.Option;

/**
 * {@code --python-warmup on|off} (default: environment {@code SESSIONHUB_PYTHON_WARMUP}, else on): whether a
 * session loads and warms its Jython runtime in the background once its port is bound, so the first command
 * is as fast as later ones. Off gives the old behaviour (the first command loads it), e.g. as a benchmark's
 * baseline.
 */
final class PythonWarmupOption {

  @Option(names = "--python-warmup", paramLabel = "on|off", defaultValue = "${env:SESSIONHUB_PYTHON_WARMUP:-on}",
      description = "Load and warm Python in the background after binding (default ${DEFAULT-VALUE}; "
          + "env SESSIONHUB_PYTHON_WARMUP).")
  String value;

  boolean enabled() {
    return switch (value == null ? "on" : value.trim().toLowerCase(Locale.ROOT)) {
      case "on", "true", "1", "yes" -> true;
      case "off", "false", "0", "no" -> false;
      default -> throw new CliException(CliException.USAGE,
          "--python-warmup (or SESSIONHUB_PYTHON_WARMUP) must be on or off, got '" + value + "'");
    };
  }
}
