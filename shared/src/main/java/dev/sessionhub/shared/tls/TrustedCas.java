package dev.sessionhub.shared.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Collection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The certificate authorities a SessionHub client trusts when it speaks https: the CAs of one PEM bundle (a
 * {@code --hub-ca} or {@code --agent-ca} file), or, without one, the JDK's default trust store.
 *
 * <p>Why one class: the hub's agent client ({@code HttpURLConnection}), the CLI ({@code java.net.http}) and the
 * tests all need the same rule, and the same clear error for a file that holds no certificate. Only trust is
 * configured here; hostname verification stays the JDK's (on), and no client falls back to plain http.
 */
public final class TrustedCas {

  private TrustedCas() {
  }

  /** A TLS client context trusting the CAs in {@code caBundle}, or the JDK's defaults when it is null. */
  public static SSLContext clientContext(Path caBundle) {
    try {
      TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(caBundle == null ? null : keyStore(caBundle));
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException(describe(caBundle) + ": " + e.getMessage(), e);
    }
  }

  /** Reads every certificate of a PEM bundle into a trust store; fails if the file holds none. */
  public static KeyStore keyStore(Path caBundle) {
    Collection<? extends Certificate> certificates;
    try (InputStream in = Files.newInputStream(caBundle)) {
      certificates = CertificateFactory.getInstance("X.509").generateCertificates(in);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read CA bundle " + caBundle + ": " + e, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("CA bundle " + caBundle + " is not PEM certificates: " + e.getMessage(), e);
    }
    if (certificates.isEmpty()) {
      throw new IllegalArgumentException("CA bundle " + caBundle + " holds no certificate");
    }
    try {
      KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
      store.load(null, null);
      int i = 0;
      for (Certificate certificate : certificates) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
      return store;
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot build a trust store: " + e, e);
    }
  }

  /** For messages: which CAs a client trusts. */
  public static String describe(Path caBundle) {
    return caBundle == null ? "the JDK's default trusted CAs" : "the CAs in " + caBundle;
  }
}
