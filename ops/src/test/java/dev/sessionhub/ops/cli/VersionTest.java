package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sessionhub --version} and every subcommand's {@code -V} print the version, the commit and the build time the
 * build wrote into the jar; what the build could not know reads "unknown".
 */
class VersionTest {

  /** What this build wrote: the project's version, a 7-digit commit (or unknown without git), a UTC time. */
  private static final Pattern VERSION_LINE = Pattern.compile(
      "sessionhub \\d+\\.\\d+\\.\\d+(-SNAPSHOT)? \\(commit ([0-9a-f]{7}(-dirty)?|unknown), "
          + "built \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ\\)");

  @Test
  void theRootAndEverySubcommandPrintTheBuild() {
    String root = stdoutOf("--version");
    assertTrue(VERSION_LINE.matcher(root.strip()).matches(), root);
    for (String sub : new String[] {"hub", "session", "ls", "send", "broadcast", "job", "jobs", "cancel", "scan",
        "sim", "python-agent", "doctor"}) {
      assertEquals(root, stdoutOf(sub, "-V"), sub + " -V");
    }
    // Subcommands inherit the version, not the root's description.
    assertTrue(stdoutOf("hub", "--help").contains("--scan"), "hub --help still describes hub");
  }

  @Test
  void whatTheBuildCouldNotFillInReadsUnknown() {
    Properties unfiltered = new Properties();
    unfiltered.setProperty("version", "0.2.0");
    unfiltered.setProperty("commit", "${git.commit.id.abbrev}");
    unfiltered.setProperty("dirty", "${git.dirty}");
    unfiltered.setProperty("built", " ");
    assertEquals("sessionhub 0.2.0 (commit unknown, built unknown)", BuildInfo.of(unfiltered).describe());
    assertEquals("sessionhub unknown (commit unknown, built unknown)", BuildInfo.of(new Properties()).describe());

    Properties dirty = new Properties();
    dirty.setProperty("version", "0.2.0");
    dirty.setProperty("commit", "abc1234");
    dirty.setProperty("dirty", "true");
    dirty.setProperty("built", "2026-12-04T21:40:00Z");
    assertEquals("sessionhub 0.2.0 (commit abc1234-dirty, built 2026-12-04T21:40:00Z)",
        BuildInfo.of(dirty).describe());
  }

  /** The build step that writes the file: outside a git checkout (a source tarball) the commit is unknown, no failure. */
  @Test
  void theBuildStepWritesUnknownOutsideAGitCheckout(@TempDir Path dir) throws Exception {
    Path script = Path.of("packaging", "build-info").toAbsolutePath();
    Path out = dir.resolve("out/build-info.properties");
    Path source = Files.createDirectory(dir.resolve("no-git"));
    ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), out.toString(), "0.2.0", source.toString())
        .redirectErrorStream(true);
    builder.environment().put("GIT_CEILING_DIRECTORIES", dir.toString());   // even if the temp folder is in a checkout
    Process p = builder.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "build-info finished");
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.exitValue(), output);
    Properties written = new Properties();
    try (Reader in = Files.newBufferedReader(out)) {
      written.load(in);
    }
    BuildInfo info = BuildInfo.of(written);
    assertEquals("0.2.0", info.version());
    assertEquals("unknown", info.commit());
    assertTrue(info.built().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), info.built());
  }

  private static String stdoutOf(String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, SessionHubCli.run(args), String.join(" ", args));
    } finally {
      System.setOut(original);
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
