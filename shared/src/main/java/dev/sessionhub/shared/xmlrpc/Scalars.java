package dev.sessionhub.shared.xmlrpc;

import java.util.Base64;

/**
 * Parses the text of XML-RPC scalar elements ({@code int}, {@code i8}, {@code boolean},
 * {@code double}, {@code base64}) into Java values.
 *
 * <p>Why separate and strict: the text comes from untrusted clients, so every rejection must be an
 * {@link FaultCode#INVALID_REQUEST} that names the offending text (truncated, so faults stay
 * small), and lenient JDK parsing quirks (non-ASCII digits, {@code 1.5f}, hex floats) must not
 * leak in. Surrounding whitespace is tolerated like Python's {@code int()} / {@code float()} do.
 */
final class Scalars {
  private static final int QUOTE_LIMIT = 60;

  private Scalars() {}

  static int parseInt(String text) throws XmlRpcCodecException {
    String s = text.strip();
    if (!isInteger(s)) {
      throw invalid("invalid <int> value: ", text);
    }
    try {
      return Integer.parseInt(s);
    } catch (NumberFormatException e) {
      throw invalid("<int> value out of range: ", text);
    }
  }

  static long parseI8(String text) throws XmlRpcCodecException {
    String s = text.strip();
    if (!isInteger(s)) {
      throw invalid("invalid <i8> value: ", text);
    }
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw invalid("<i8> value out of range: ", text);
    }
  }

  static boolean parseBoolean(String text) throws XmlRpcCodecException {
    String s = text.strip();
    if (s.equals("1")) {
      return true;
    }
    if (s.equals("0")) {
      return false;
    }
    throw invalid("invalid <boolean> value (expected 0 or 1): ", text);
  }

  /** Decimal notation with optional exponent, plus Python's {@code nan}, {@code inf}, {@code -inf}. */
  static double parseDouble(String text) throws XmlRpcCodecException {
    String s = text.strip();
    switch (s.toLowerCase(java.util.Locale.ROOT)) {
      case "nan", "+nan", "-nan":
        return Double.NaN;
      case "inf", "+inf", "infinity", "+infinity":
        return Double.POSITIVE_INFINITY;
      case "-inf", "-infinity":
        return Double.NEGATIVE_INFINITY;
      default:
        break;
    }
    if (!isDecimal(s)) {
      throw invalid("invalid <double> value: ", text);
    }
    try {
      return Double.parseDouble(s);
    } catch (NumberFormatException e) {
      throw invalid("invalid <double> value: ", text);
    }
  }

  /** MIME base64: line breaks and other whitespace are ignored. */
  static byte[] parseBase64(String text) throws XmlRpcCodecException {
    try {
      return Base64.getMimeDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid("invalid <base64> value: ", text);
    }
  }

  static XmlRpcCodecException invalid(String what, String text) {
    return new XmlRpcCodecException(FaultCode.INVALID_REQUEST, what + quote(text));
  }

  /** The text in single quotes, cut to about 60 characters. */
  static String quote(String text) {
    return text.length() <= QUOTE_LIMIT
        ? "'" + text + "'"
        : "'" + text.substring(0, QUOTE_LIMIT) + "...' (" + text.length() + " chars)";
  }

  private static boolean isInteger(String s) {
    int start = !s.isEmpty() && (s.charAt(0) == '+' || s.charAt(0) == '-') ? 1 : 0;
    if (start == s.length()) {
      return false;
    }
    for (int i = start; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean isDecimal(String s) {
    boolean digit = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= '0' && c <= '9') {
        digit = true;
      } else if (c != '+' && c != '-' && c != '.' && c != 'e' && c != 'E') {
        return false;
      }
    }
    return digit;
  }
}
