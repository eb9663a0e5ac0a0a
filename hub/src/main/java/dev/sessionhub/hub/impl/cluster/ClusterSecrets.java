package dev.sessionhub.hub.impl.cluster;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * What the shared token gives the cluster, since open-source Hazelcast has no member authentication: the name
 * members present when joining carries a digest of the token (so a member without the token cannot join by
 * knowing the cluster name; the digest travels in clear, so this stops mistakes and casual joins, not someone
 * who can read the network), and the key that signs work sent between members (so a member that did join
 * without the token cannot make a hub run code with the token on its agents).
 */
public final class ClusterSecrets {

  private final byte[] key;

  private ClusterSecrets(byte[] key) {
    this.key = key;
  }

  /** Secrets from the token; without one there is nothing to derive and nothing is checked. */
  public static ClusterSecrets of(String token) {
    return new ClusterSecrets(token == null ? null : hmac("sessionhub-cluster-key".getBytes(StandardCharsets.UTF_8),
        token.getBytes(StandardCharsets.UTF_8)));
  }

  public boolean enabled() {
    return key != null;
  }

  /** The name members join with: {@code name} itself without a token, {@code name-<digest>} with one. */
  public String clusterName(String name) {
    if (key == null) {
      return name;
    }
    byte[] digest = hmac(key, ("cluster-name:" + name).getBytes(StandardCharsets.UTF_8));
    return name + "-" + HexFormat.of().formatHex(digest, 0, 8);
  }

  /** An HMAC-SHA256 over {@code message}, or an empty array when there is no token. */
  public byte[] sign(byte[] message) {
    return key == null ? new byte[0] : hmac(key, message);
  }

  /** Whether {@code signature} is this cluster's over {@code message}; always true without a token. */
  public boolean verify(byte[] message, byte[] signature) {
    return key == null || MessageDigest.isEqual(hmac(key, message), signature);
  }

  private static byte[] hmac(byte[] key, byte[] message) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(message);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
    }
  }
}
