package dev.sessionhub.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every client subcommand shares: which hub, which token, JSON or tables. */
final class HubClientOptions {

  @Option(names = "--hub", defaultValue = "${env:SESSIONHUB_HUB:-http://127.0.0.1:7700}",
      description = "Hub URL (default ${DEFAULT-VALUE}; env SESSIONHUB_HUB).")
  String hubUrl;

  @Option(names = "--hub-ca", defaultValue = "${env:SESSIONHUB_HUB_CA}", paramLabel = "FILE",
      description = "PEM CA bundle an https hub's certificate must chain to (default: the JDK's trusted CAs; "
          + "env SESSIONHUB_HUB_CA).")
  Path hubCa;

  @Mixin
  TokenOptions tokens = new TokenOptions();

  @Option(names = "--json", description = "Print JSON for scripts instead of tables.")
  boolean json;

  HubConnection connect() {
    return new HubConnection(hubUrl, tokens.resolve(), hubCa);
  }

  /** Another hub of the same cluster, with the same token and CA bundle. */
  HubConnection connect(String otherHubUrl) {
    return new HubConnection(otherHubUrl, tokens.resolve(), hubCa);
  }
}
