package dev.sessionhub.ops.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;

/**
 * The {@code sessionhub} launcher: one program, one subcommand per job. {@code --version} (and every subcommand's
 * {@code -V}, inherited) prints the build's version, commit and time.
 */
@Command(name = "sessionhub", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
    scope = ScopeType.INHERIT,
    description = "Discover, inventory and drive live application sessions over XML-RPC.",
    subcommands = {HubCommand.class, SessionCommand.class, LsCommand.class, SendCommand.class,
        BroadcastCommand.class, JobCommand.class, JobsCommand.class, CancelCommand.class, ScanCommand.class,
        SimCommand.class, PythonAgentCommand.class, DoctorCommand.class,
        CommandLine.HelpCommand.class})
public final class SessionHubCli {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the launcher and returns its exit code (for tests and for {@link #main}). */
  public static int run(String... args) {
    CommandLine cli = new CommandLine(new SessionHubCli());
    // '@file.py' is send's and broadcast's CODE from a file, not picocli's argument file.
    cli.setExpandAtFiles(false);
    cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
      commandLine.getErr().println("sessionhub: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
      if (e instanceof CliException c) {
        return c.exitCode();
      }
      return e instanceof IllegalArgumentException ? CliException.USAGE : CliException.FAILED;
    });
    return cli.execute(args);
  }
}
