package dev.sessionhub.ops.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --tls-cert} and {@code --tls-key}: serve https with a PEM certificate chain and its PEM private key. */
final class ServerTlsOptions {

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain (server certificate first): serve https instead of http. Needs --tls-key.")
  Path cert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "PEM private key (PKCS#8 or RSA) of --tls-cert; keep it chmod 600.")
  Path key;

  String certPath() {
    return cert == null ? null : cert.toString();
  }

  String keyPath() {
    return key == null ? null : key.toString();
  }
}
