package dev.sessionhub.ops.cli;

import dev.sessionhub.agent.python.PythonAgentFiles;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sessionhub python-agent --out DIR}: writes the Python agent module and the Blender add-on zip, as this jar
 * carries them, so Blender, Maya, Houdini, Nuke and plain Python programs get the agent from the same build.
 */
@Command(name = "python-agent", mixinStandardHelpOptions = true,
    description = "Write the Python agent (sessionhub_agent.py: CPython 2.7 and 3.7+, standard library only) and "
        + "the Blender add-on (sessionhub_blender.zip) to a folder.")
final class PythonAgentCommand implements Callable<Integer> {

  @Option(names = "--out", required = true, paramLabel = "DIR", description = "The folder to write to (created).")
  Path out;

  @Spec
  CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Map<String, Path> written = PythonAgentFiles.writeTo(out);
    PrintWriter stdout = spec.commandLine().getOut();
    written.values().forEach(path -> stdout.println(path.toAbsolutePath()));
    stdout.println();
    stdout.println("Blender: Preferences > Add-ons > Install... > " + PythonAgentFiles.BLENDER_ADDON_ZIP
        + ", then enable 'SessionHub agent'.");
    stdout.println("Maya, Houdini, Nuke: put " + PythonAgentFiles.AGENT_MODULE + " on the application's Python path, "
        + "then: import sessionhub_agent; sessionhub_agent.start()");
    stdout.println("Plain Python: python3 " + PythonAgentFiles.AGENT_MODULE + " --name NAME [--hub URL]");
    stdout.flush();
    return 0;
  }
}
