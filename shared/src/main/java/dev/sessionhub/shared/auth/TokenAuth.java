package dev.sessionhub.shared.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * Checks an {@code Authorization} header against the configured token: {@code Basic base64(anyuser:TOKEN)}, which
 * is what {@code ServerProxy('http://user:TOKEN@host:port/')} sends, or {@code Bearer TOKEN}. Comparison is
 * constant-time. Without a token every request is allowed.
 */
public final class TokenAuth {

  private final byte[] token;

  public TokenAuth(String token) {
    this.token = token == null ? null : token.getBytes(StandardCharsets.UTF_8);
  }

  public boolean required() {
    return token != null;
  }

  public boolean allows(String authorization) {
    if (token == null) {
      return true;
    }
    if (authorization == null) {
      return false;
    }
    String header = authorization.trim();
    if (startsWithIgnoreCase(header, "Bearer ")) {
      return matches(header.substring(7).trim().getBytes(StandardCharsets.UTF_8));
    }
    if (startsWithIgnoreCase(header, "Basic ")) {
      byte[] decoded;
      try {
        decoded = Base64.getDecoder().decode(header.substring(6).trim());
      } catch (IllegalArgumentException e) {
        return false;
      }
      int colon = indexOf(decoded, (byte) ':');
      if (colon < 0) {
        return false;
      }
      byte[] password = new byte[decoded.length - colon - 1];
      System.arraycopy(decoded, colon + 1, password, 0, password.length);
      return matches(password);
    }
    return false;
  }

  private boolean matches(byte[] presented) {
    return MessageDigest.isEqual(token, presented);
  }

  private static boolean startsWithIgnoreCase(String s, String prefix) {
    return s.regionMatches(true, 0, prefix, 0, prefix.length());
  }

  private static int indexOf(byte[] bytes, byte b) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
