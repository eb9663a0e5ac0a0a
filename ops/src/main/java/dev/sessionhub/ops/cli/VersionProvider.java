package dev.sessionhub.ops.cli;

import picocli.CommandLine.IVersionProvider;

/** {@code sessionhub --version} and every subcommand's {@code -V}: the version, commit and build time. */
public final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    return new String[] {BuildInfo.current().describe()};
  }
}
