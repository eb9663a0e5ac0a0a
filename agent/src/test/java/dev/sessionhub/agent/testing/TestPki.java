package dev.sessionhub.agent.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway certificate authority for TLS tests, made with the {@code openssl} command at test time: a CA, a
 * server certificate it signed for {@code localhost} and {@code 127.0.0.1}, a second certificate it signed for
 * another host name, and an unrelated CA that signed nothing here.
 *
 * <p>Why generated rather than committed: nothing secret-looking lives in the repository, nothing expires in a
 * year's time, and the commands are those the README tells users to run. {@code ops/bin/install-test-deps}
 * installs {@code openssl} where it is missing.
 */
public final class TestPki {

  private final Path dir;

  private TestPki(Path dir) {
    this.dir = dir;
  }

  /** Makes the CAs and certificates in {@code dir} (RSA 2048; about a second in all). */
  public static TestPki create(Path dir) throws IOException, InterruptedException {
    TestPki pki = new TestPki(dir);
    pki.ca("ca", "SessionHub test CA");
    pki.ca("other-ca", "Some other CA");
    pki.server("server", "localhost", "DNS:localhost,IP:127.0.0.1");
    pki.server("elsewhere", "elsewhere.invalid", "DNS:elsewhere.invalid");
    return pki;
  }

  /** The CA bundle (PEM) that signed {@link #serverCert()}. */
  public Path ca() {
    return dir.resolve("ca.pem");
  }

  /** A CA that signed none of these certificates. */
  public Path otherCa() {
    return dir.resolve("other-ca.pem");
  }

  /** A server certificate for {@code localhost} and {@code 127.0.0.1}, signed by {@link #ca()}. */
  public Path serverCert() {
    return dir.resolve("server.pem");
  }

  public Path serverKey() {
    return dir.resolve("server.key");
  }

  /** A certificate signed by {@link #ca()} for {@code elsewhere.invalid} only: wrong for 127.0.0.1. */
  public Path elsewhereCert() {
    return dir.resolve("elsewhere.pem");
  }

  public Path elsewhereKey() {
    return dir.resolve("elsewhere.key");
  }

  private void ca(String name, String commonName) throws IOException, InterruptedException {
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650", "-subj", "/CN=" + commonName,
        "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
        "-keyout", name + ".key", "-out", name + ".pem");
  }

  private void server(String name, String commonName, String san) throws IOException, InterruptedException {
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + commonName, "-keyout", name + ".key",
        "-out", name + ".csr");
    Files.writeString(dir.resolve(name + ".ext"), "subjectAltName=" + san + "\n"
        + "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        + "extendedKeyUsage=serverAuth\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid,issuer\n");
    openssl("x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
        "-days", "825", "-extfile", name + ".ext", "-out", name + ".pem");
  }

  private void openssl(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("openssl"));
    command.addAll(List.of(args));
    Process process;
    try {
      process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new IllegalStateException("the TLS tests need the openssl command (ops/bin/install-test-deps "
          + "installs it): " + e.getMessage(), e);
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException(String.join(" ", command) + " failed:\n"
          + new String(output, StandardCharsets.UTF_8));
    }
  }
}
