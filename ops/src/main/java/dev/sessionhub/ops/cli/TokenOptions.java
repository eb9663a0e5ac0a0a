package dev.sessionhub.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --token} and {@code --token-file}, resolved in the documented order by {@link TokenSource}. */
final class TokenOptions {

  @Option(names = "--token", description = "The token (prefer --token-file or SESSIONHUB_TOKEN: flags show in ps).")
  String token;

  @Option(names = "--token-file", description = "File holding the token; must be chmod 600.")
  Path tokenFile;

  /** The token from the flags, else SESSIONHUB_TOKEN, else SESSIONHUB_TOKEN_FILE; null when none is set. */
  String resolve() {
    return TokenSource.resolve(token, tokenFile, System.getenv());
  }
}
