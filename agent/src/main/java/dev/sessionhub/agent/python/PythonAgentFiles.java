package dev.sessionhub.agent.python;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The Python agent as files a user installs: {@code sessionhub_agent.py} (one module, standard library only, for
 * CPython 2.7 and 3.7+) and the Blender add-on zip that carries it. Both are built from this jar's resources, so the
 * jar is the one source: the hub can serve the bytes and {@code sessionhub python-agent} writes them to a folder.
 *
 * <p>The zip holds one folder, {@code sessionhub_blender/}, with the add-on's {@code __init__.py}, the agent module
 * and the Blender 4.2+ extension manifest: what Preferences &gt; Add-ons &gt; Install expects.
 */
public final class PythonAgentFiles {

  /** The agent module's file name. */
  public static final String AGENT_MODULE = "sessionhub_agent.py";
  /** The Blender add-on zip's file name. */
  public static final String BLENDER_ADDON_ZIP = "sessionhub_blender.zip";
  /** The add-on's folder (and Python package) name inside the zip. */
  public static final String BLENDER_ADDON_PACKAGE = "sessionhub_blender";

  private static final String BASE = "/dev/sessionhub/agent/python/";
  /** A fixed time for zip entries, so the same sources give the same bytes. */
  private static final long ENTRY_TIME = 1_704_067_200_000L;

  private PythonAgentFiles() {
  }

  /** The agent module's source. */
  public static byte[] agentModule() {
    return resource(AGENT_MODULE);
  }

  /** The Blender add-on as a zip, ready for Preferences &gt; Add-ons &gt; Install. */
  public static byte[] blenderAddonZip() {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put(BLENDER_ADDON_PACKAGE + "/__init__.py", resource("blender/__init__.py"));
    entries.put(BLENDER_ADDON_PACKAGE + "/" + AGENT_MODULE, agentModule());
    entries.put(BLENDER_ADDON_PACKAGE + "/blender_manifest.toml", resource("blender/blender_manifest.toml"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> entry : entries.entrySet()) {
        ZipEntry zipEntry = new ZipEntry(entry.getKey());
        zipEntry.setTime(ENTRY_TIME);
        zip.putNextEntry(zipEntry);
        zip.write(entry.getValue());
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  /** Writes the agent module and the Blender add-on zip into {@code dir} (created if needed); returns both paths. */
  public static Map<String, Path> writeTo(Path dir) throws IOException {
    Files.createDirectories(dir);
    Map<String, Path> written = new LinkedHashMap<>();
    written.put(AGENT_MODULE, write(dir.resolve(AGENT_MODULE), agentModule()));
    written.put(BLENDER_ADDON_ZIP, write(dir.resolve(BLENDER_ADDON_ZIP), blenderAddonZip()));
    return written;
  }

  private static Path write(Path target, byte[] content) throws IOException {
    Path temporary = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
    Files.write(temporary, content);
    return Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private static byte[] resource(String name) {
    try (InputStream in = PythonAgentFiles.class.getResourceAsStream(BASE + name)) {
      if (in == null) {
        throw new IllegalStateException("missing resource " + BASE + name + " (a broken build?)");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
