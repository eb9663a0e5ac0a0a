package dev.sessionhub.shared.selector;

/**
 * A malformed glob. {@link #what} (what is wrong) and {@link #detail} (a hint, possibly empty) let the selector
 * parser put the whole term in between.
 */
final class BadGlob extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  final String what;
  final String detail;

  BadGlob(String what, String detail) {
    super(what + detail);
    this.what = what;
    this.detail = detail;
  }
}
