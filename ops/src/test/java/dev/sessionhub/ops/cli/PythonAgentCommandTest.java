package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sessionhub.agent.python.PythonAgentFiles;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessionhub python-agent --out DIR} writes the agent module (which python3 then runs) and the Blender add-on
 * zip (one folder: the add-on, the module and the 4.2+ manifest); a folder it cannot write is a clear failure.
 */
class PythonAgentCommandTest {

  @Test
  void writesTheModuleAndTheAddOnZip(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("agent-files");
    assertEquals(0, SessionHubCli.run("python-agent", "--out", out.toString()));
    Path module = out.resolve("sessionhub_agent.py");
    assertArrayEquals(PythonAgentFiles.agentModule(), Files.readAllBytes(module));
    List<String> entries = new ArrayList<>();
    try (InputStream in = Files.newInputStream(out.resolve("sessionhub_blender.zip"));
         ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e; (e = zip.getNextEntry()) != null; ) {
        entries.add(e.getName());
      }
    }
    assertEquals(List.of("sessionhub_blender/__init__.py", "sessionhub_blender/sessionhub_agent.py",
        "sessionhub_blender/blender_manifest.toml"), entries);
    Process help = new ProcessBuilder("python3", module.toString(), "--help").redirectErrorStream(true).start();
    assertTrue(help.waitFor(60, TimeUnit.SECONDS));
    String text = new String(help.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, help.exitValue(), text);
    assertTrue(text.contains("--base-port") && text.contains("--hub") && text.contains("--token-file"), text);
  }

  @Test
  void aFolderItCannotWriteIsAFailure(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-folder"), "x");
    assertEquals(CliException.FAILED, SessionHubCli.run("python-agent", "--out", file.toString()));
  }
}
