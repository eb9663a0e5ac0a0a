package dev.sessionhub.ops.cli;

import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/**
 * {@code --parent-pid}: the process whose end stops a long-running program (hub, session, sim), by default
 * {@code $SESSIONHUB_PARENT_PID}. The ops scripts export it as their own pid, so what they start never outlives
 * them, even when they are killed with -9 and no trap of theirs runs.
 */
final class ParentOptions {

  static final String ENV = "SESSIONHUB_PARENT_PID";

  @Option(names = "--parent-pid", paramLabel = "PID", description = "Stop, as on SIGTERM, once process PID has "
      + "ended (default: $" + ENV + ", which the ops scripts set to their own pid).")
  Long parentPid;

  /** The process to stop with, or empty when none is asked for; a clear error for a bad or ended one. */
  Optional<ProcessHandle> resolve() {
    return resolve(parentPid, System.getenv());
  }

  static Optional<ProcessHandle> resolve(Long flag, Map<String, String> env) {
    String source = "--parent-pid";
    long pid;
    if (flag != null) {
      pid = flag;
    } else {
      String value = env.getOrDefault(ENV, "").trim();
      if (value.isEmpty()) {
        return Optional.empty();
      }
      source = ENV;
      try {
        pid = Long.parseLong(value);
      } catch (NumberFormatException e) {
        throw new CliException(CliException.USAGE, ENV + " must be a process id, not '" + value + "'");
      }
    }
    if (pid <= 0) {
      throw new CliException(CliException.USAGE, source + " must be a process id, not " + pid);
    }
    Optional<ProcessHandle> parent = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
    if (parent.isEmpty()) {
      throw new CliException(CliException.FAILED, "process " + pid + " (" + source + ") has already ended; "
          + "not starting");
    }
    return parent;
  }
}
