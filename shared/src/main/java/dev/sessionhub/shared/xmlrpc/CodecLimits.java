package dev.sessionhub.shared.xmlrpc;

/**
 * Bounds that keep decoding cheap no matter what a client sends.
 *
 * <p>Why: the codec faces untrusted input; a size cap stops memory abuse before any parsing and a
 * depth cap stops deeply nested structs/arrays from exhausting the stack. The encoder uses the same
 * depth so that whatever this side writes, its peer with the same limits can read back.
 *
 * @param maxDepth how many struct/array levels a value may nest (a flat array is 1)
 * @param maxBytes the largest accepted body, in bytes
 */
public record CodecLimits(int maxDepth, int maxBytes) {
  public static final int DEFAULT_MAX_DEPTH = 32;
  public static final int DEFAULT_MAX_BYTES = 1 << 20;

  /** Rejects non-positive limits. */
  public CodecLimits {
    if (maxDepth <= 0) {
      throw new IllegalArgumentException("maxDepth must be > 0, got " + maxDepth);
    }
    if (maxBytes <= 0) {
      throw new IllegalArgumentException("maxBytes must be > 0, got " + maxBytes);
    }
  }

  /** Depth 32, 1 MiB. */
  public static CodecLimits defaults() {
    return new CodecLimits(DEFAULT_MAX_DEPTH, DEFAULT_MAX_BYTES);
  }
}
