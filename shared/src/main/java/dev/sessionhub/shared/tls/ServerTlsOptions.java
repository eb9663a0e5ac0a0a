package dev.sessionhub.shared.tls;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The certificate a SessionHub server (an agent, a hub) serves https with: a PEM certificate chain (server
 * certificate first) and its PEM private key (PKCS#8, or PKCS#1 RSA). Neither set: plain http. The one TLS options
 * type of both programs, so the rule (both or neither, readable files) and its messages are stated once; the
 * files' contents are checked when the server starts.
 */
public final class ServerTlsOptions {

  private String certPath;
  private String keyPath;

  public ServerTlsOptions() {
  }

  /** True when https is served (a certificate is set; {@link #validate()} checks the key is too). */
  public boolean isEnabled() {
    return certPath != null;
  }

  public String getCertPath() {
    return certPath;
  }

  public ServerTlsOptions setCertPath(String certPath) {
    this.certPath = blankToNull(certPath);
    return this;
  }

  public String getKeyPath() {
    return keyPath;
  }

  public ServerTlsOptions setKeyPath(String keyPath) {
    this.keyPath = blankToNull(keyPath);
    return this;
  }

  /** Both or neither, and each set file readable. */
  public ServerTlsOptions validate() {
    if ((certPath == null) != (keyPath == null)) {
      throw new IllegalArgumentException("TLS needs both a certificate and a private key (--tls-cert and --tls-key)");
    }
    readable(certPath, "TLS certificate");
    readable(keyPath, "TLS private key");
    return this;
  }

  /** Throws naming {@code what} unless {@code path} is null or readable. */
  public static void readable(String path, String what) {
    if (path != null && !Files.isReadable(Path.of(path))) {
      throw new IllegalArgumentException(what + " " + path + " is not a readable file");
    }
  }

  private static String blankToNull(String s) {
    return s == null || s.isBlank() ? null : s;
  }
}
