package dev.sessionhub.shared.tls;

import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;

/**
 * Reads a TLS failure by exception type: was the peer's certificate refused (unknown CA, expired, wrong host
 * name), or did the handshake fail otherwise (the peer does not speak TLS)?
 *
 * <p>Why by type: JDK messages differ between versions; the types ({@link CertificateException}, {@link
 * CertPathValidatorException}, {@link CertPathBuilderException} under an {@link SSLException}) do not.
 */
public final class TlsFailures {

  private TlsFailures() {
  }

  /** True when {@code failure} or one of its causes is a TLS failure. */
  public static boolean isTls(Throwable failure) {
    return find(failure, SSLException.class) != null;
  }

  /**
   * Why the peer's certificate was refused, when that is what {@code failure} says: the outermost certificate
   * problem's message (e.g. {@code PKIX path building failed: ...}, {@code No subject alternative names matching
   * IP address 127.0.0.1 found}); empty for any other failure.
   */
  public static Optional<String> certificateProblem(Throwable failure) {
    if (!isTls(failure)) {
      return Optional.empty();
    }
    Throwable found = null;
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (t instanceof CertificateException || t instanceof CertPathValidatorException
          || t instanceof CertPathBuilderException) {
        found = found == null ? t : found;
      }
    }
    return Optional.ofNullable(found).map(t -> t.getMessage() == null ? t.getClass().getSimpleName()
        : t.getMessage());
  }

  /** The first {@code type} in the cause chain, or null. */
  static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
    for (Throwable t = failure; t != null && seen.add(t); t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }
}
