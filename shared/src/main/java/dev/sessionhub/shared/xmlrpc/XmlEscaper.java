package dev.sessionhub.shared.xmlrpc;

/**
 * Appends text as XML character data that any XML 1.0 parser reads back unchanged.
 *
 * <p>Why: {@code &}, {@code <} and {@code >} must be escaped; a raw CR would be normalised to LF
 * by the receiving parser, so it is written as {@code &#13;}; and characters XML 1.0 forbids
 * (controls other than tab/CR/LF, unpaired surrogates, U+FFFE, U+FFFF) would make the whole
 * message unparseable for the client, so they become U+FFFD instead. Clean runs are copied in
 * bulk, keeping the common case fast.
 */
final class XmlEscaper {
  private static final char REPLACEMENT = '\uFFFD';

  private XmlEscaper() {}

  static void append(StringBuilder out, CharSequence text) {
    int length = text.length();
    int clean = 0; // start of the pending run of characters that need no treatment
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if ((c >= 0x20 && c < 0xD800 && c != '&' && c != '<' && c != '>')
          || c == '\n' || c == '\t' || (c >= 0xE000 && c <= 0xFFFD)) {
        continue;
      }
      if (Character.isHighSurrogate(c) && i + 1 < length
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++; // a proper pair is legal: keep it in the run
        continue;
      }
      out.append(text, clean, i);
      clean = i + 1;
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '\r' -> out.append("&#13;");
        default -> out.append(REPLACEMENT);
      }
    }
    out.append(text, clean, length);
  }
}
