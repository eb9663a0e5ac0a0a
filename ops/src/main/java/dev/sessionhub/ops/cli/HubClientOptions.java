package dev.sessionhub.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every client subcommand shares: which hub, which token, JSON or tables. */
final class HubClientOptions {

  @Option(names = "--hub", defaultValue = "${env:SESSIONHUB_HUB:-http://127.0.0.1:7700}",
      description = "Hub URL (default ${DEFAULT-VALUE}; env SESSIONHUB_HUB).")
  String hubUrl;

  @Option(names = "--token", description = "Token the hub requires (prefer --token-file or SESSIONHUB_TOKEN).")
  String token;

  @Option(names = "--token-file", description = "File holding the token; must be chmod 600.")
  Path tokenFile;

  @Option(names = "--json", description = "Print JSON for scripts instead of tables.")
  boolean json;

  HubConnection connect() {
    return new HubConnection(hubUrl, TokenSource.resolve(token, tokenFile, System.getenv()));
  }
}
