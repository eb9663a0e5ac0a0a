package dev.sessionhub.ops.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * What this build of sessionhub is: its version, the git commit it was built from and when, as the build wrote them
 * into {@value #RESOURCE}. Anything the build could not know (no git checkout, no file) reads {@code unknown}.
 */
public record BuildInfo(String version, String commit, String built) {

  static final String RESOURCE = "/dev/sessionhub/ops/build-info.properties";
  static final String UNKNOWN = "unknown";

  /** The build this class was compiled in. */
  public static BuildInfo current() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      Properties properties = new Properties();
      if (in != null) {
        properties.load(in);
      }
      return of(properties);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  /** From the build's properties: version, commit (with {@code -dirty} when built from a modified tree), built. */
  static BuildInfo of(Properties properties) {
    String commit = known(properties.getProperty("commit"));
    if (!commit.equals(UNKNOWN) && "true".equals(properties.getProperty("dirty"))) {
      commit += "-dirty";
    }
    return new BuildInfo(known(properties.getProperty("version")), commit, known(properties.getProperty("built")));
  }

  /** {@code sessionhub 0.1.0 (commit abc1234, built 2026-12-04T21:40:00Z)}. */
  public String describe() {
    return "sessionhub " + version + " (commit " + commit + ", built " + built + ")";
  }

  /** A value the build filled in, else {@code unknown} (missing, blank, or a placeholder it left as it was). */
  private static String known(String value) {
    return value == null || value.isBlank() || value.contains("${") ? UNKNOWN : value.trim();
  }
}
