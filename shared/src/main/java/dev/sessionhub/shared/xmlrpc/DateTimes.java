package dev.sessionhub.shared.xmlrpc;

import java.time.DateTimeException;
import java.time.LocalDateTime;

/**
 * Reads and writes XML-RPC {@code dateTime.iso8601} text.
 *
 * <p>Why hand-written: the wire format is the compact {@code 19980717T14:08:55} that Python
 * writes, but other clients send the extended {@code 1998-07-17T14:08:55}, a fraction or a zone;
 * a tiny dedicated parser accepts all of them quickly and reports anything else as
 * {@link FaultCode#INVALID_REQUEST}. XML-RPC date-times carry no zone, so a zone suffix is checked
 * for shape and ignored (the wall-clock fields are kept as written); a fraction is kept as
 * nanoseconds. Writing always produces the compact form without a fraction.
 */
final class DateTimes {
  private DateTimes() {}

  static LocalDateTime parse(String text) throws XmlRpcCodecException {
    String s = text.strip();
    int t = s.indexOf('T');
    if (t < 0) {
      throw Scalars.invalid("invalid <dateTime.iso8601> value: ", text);
    }
    int[] date = t == 8 ? fields(s, 0, "dddddddd", 4, 2, 2)
        : t == 10 ? fields(s, 0, "dddd-dd-dd", 4, 2, 2) : null;
    int end = t + 1;
    while (end < s.length() && (isDigit(s.charAt(end)) || s.charAt(end) == ':')) {
      end++;
    }
    int timeLength = end - t - 1;
    int[] time = timeLength == 6 ? fields(s, t + 1, "dddddd", 2, 2, 2)
        : timeLength == 8 ? fields(s, t + 1, "dd:dd:dd", 2, 2, 2) : null;
    int nanos = 0;
    if (end < s.length() && (s.charAt(end) == '.' || s.charAt(end) == ',')) {
      int start = ++end;
      while (end < s.length() && isDigit(s.charAt(end))) {
        end++;
      }
      nanos = fraction(s, start, end);
    }
    if (date == null || time == null || nanos < 0 || !isZone(s.substring(end))) {
      throw Scalars.invalid("invalid <dateTime.iso8601> value: ", text);
    }
    try {
      return LocalDateTime.of(date[0], date[1], date[2], time[0], time[1], time[2], nanos);
    } catch (DateTimeException e) {
      throw Scalars.invalid("invalid <dateTime.iso8601> value: ", text);
    }
  }

  /** Appends {@code yyyyMMddTHH:mm:ss}. */
  static void format(LocalDateTime value, StringBuilder out) {
    int year = value.getYear();
    if (year >= 0 && year < 1000) {
      pad(out, year / 100, 2);
      pad(out, year % 100, 2);
    } else {
      out.append(year);
    }
    pad(out, value.getMonthValue(), 2);
    pad(out, value.getDayOfMonth(), 2);
    out.append('T');
    pad(out, value.getHour(), 2);
    out.append(':');
    pad(out, value.getMinute(), 2);
    out.append(':');
    pad(out, value.getSecond(), 2);
  }

  private static void pad(StringBuilder out, int value, int width) {
    String digits = Integer.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append('0');
    }
    out.append(digits);
  }

  /**
   * Reads three numbers from {@code s} at {@code from} following {@code shape} ('d' = digit, other
   * characters literal) with the given widths; null when the text does not match.
   */
  private static int[] fields(String s, int from, String shape, int... widths) {
    if (s.length() < from + shape.length()) {
      return null;
    }
    for (int i = 0; i < shape.length(); i++) {
      char want = shape.charAt(i);
      char got = s.charAt(from + i);
      if (want == 'd' ? !isDigit(got) : got != want) {
        return null;
      }
    }
    int[] result = new int[widths.length];
    int pos = from;
    for (int i = 0; i < widths.length; i++) {
      while (!isDigit(s.charAt(pos))) {
        pos++;
      }
      result[i] = Integer.parseInt(s, pos, pos + widths[i], 10);
      pos += widths[i];
    }
    return result;
  }

  /** Nanoseconds from fraction digits; -1 when there are none. Digits past the ninth are dropped. */
  private static int fraction(String s, int start, int end) {
    if (end == start) {
      return -1;
    }
    int nanos = 0;
    for (int i = 0; i < 9; i++) {
      nanos = nanos * 10 + (start + i < end ? s.charAt(start + i) - '0' : 0);
    }
    return nanos;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** "", "Z", "+HH", "+HH:mm" or "+HHmm" (or with '-'). */
  private static boolean isZone(String zone) {
    if (zone.isEmpty() || zone.equals("Z") || zone.equals("z")) {
      return true;
    }
    char sign = zone.charAt(0);
    if (sign != '+' && sign != '-') {
      return false;
    }
    String rest = zone.substring(1);
    return rest.matches("\\d\\d(:?\\d\\d)?");
  }
}
