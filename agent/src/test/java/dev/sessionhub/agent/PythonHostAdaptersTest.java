package dev.sessionhub.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.python.PythonAgentFiles;
import dev.sessionhub.agent.testing.PythonInterpreter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Python agent's host adapters (Maya, Houdini, Nuke, plain Python) through {@code python/test_host_adapters.py},
 * a Python unittest run by real CPython 3 and 2.7 against stand-in modules that follow each application's documented
 * main-thread API ({@code maya.utils.executeInMainThreadWithResult}, {@code hdefereval}, {@code
 * nuke.executeInMainThreadWithResult}). The real applications are not installable here: these adapters are not yet
 * verified in them. The same run checks the agent module's edges: loopback-only without a token, token-file
 * permissions, bind-first ports freed at once on stop, HTTP/1.0 and 1.1 keep-alive with chunked bodies, the hub object,
 * and the hub link (register, heartbeat, register again when the hub forgot it, deregister on stop).
 */
class PythonHostAdaptersTest {

  private static final List<String> FILES = List.of("test_host_adapters.py", "standins/standin_mainloop.py",
      "standins/maya/__init__.py", "standins/maya/utils.py", "standins/maya/cmds.py", "standins/hdefereval.py",
      "standins/hou.py", "standins/nuke.py");
  private static final Pattern RAN = Pattern.compile("Ran (\\d+) tests");

  private static void prepare(Path dir) throws IOException {
    Files.write(dir.resolve(PythonAgentFiles.AGENT_MODULE), PythonAgentFiles.agentModule());
    for (String name : FILES) {
      Path target = dir.resolve(name);
      Files.createDirectories(target.getParent());
      try (InputStream in = PythonHostAdaptersTest.class.getResourceAsStream("/python/" + name)) {
        Files.copy(in, target);
      }
    }
  }

  private static void runUnder(PythonInterpreter python, Path dir) throws Exception {
    prepare(dir);
    Path log = dir.resolve("unittest.log");
    Process process = python.builder(dir.resolve("test_host_adapters.py").toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).start();
    if (!process.waitFor(180, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the unittest run did not finish within 180 s; its output:\n"
          + Files.readString(log, StandardCharsets.UTF_8));
    }
    String out = Files.readString(log, StandardCharsets.UTF_8);
    System.out.println(out);
    assertEquals(0, process.exitValue(), out);
    Matcher ran = RAN.matcher(out);
    assertTrue(ran.find() && Integer.parseInt(ran.group(1)) >= 13, out);
    assertTrue(out.contains("\nOK"), out);
  }

  @Test
  void adaptersHoldTheContractUnderPython3(@TempDir Path dir) throws Exception {
    runUnder(PythonInterpreter.python3().require(), dir);
  }

  @Test
  void adaptersHoldTheContractUnderCPython27(@TempDir Path dir) throws Exception {
    runUnder(PythonInterpreter.cpython27().require(), dir);
  }

  /** The oldest and newest Python 3 the agent claims, where pyenv has them (skipped otherwise, CI included). */
  @org.junit.jupiter.params.ParameterizedTest
  @org.junit.jupiter.params.provider.ValueSource(strings = {"3.7.16", "3.13.0"})
  void adaptersHoldTheContractUnderOtherCPythons(String version, @TempDir Path dir) throws Exception {
    runUnder(PythonInterpreter.pyenv(version).optional(), dir);
  }
}
