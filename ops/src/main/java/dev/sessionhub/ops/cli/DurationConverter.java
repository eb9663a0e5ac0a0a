package dev.sessionhub.ops.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, or a bare number of seconds. */
public final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    String v = value.trim().toLowerCase();
    try {
      if (v.endsWith("ms")) {
        return check(Duration.ofMillis(Long.parseLong(v.substring(0, v.length() - 2))), value);
      }
      char unit = v.charAt(v.length() - 1);
      String number = Character.isDigit(unit) ? v : v.substring(0, v.length() - 1);
      double amount = Double.parseDouble(number);
      long millis = switch (Character.isDigit(unit) ? 's' : unit) {
        case 's' -> (long) (amount * 1000);
        case 'm' -> (long) (amount * 60_000);
        case 'h' -> (long) (amount * 3_600_000);
        default -> throw new TypeConversionException("unknown unit in '" + value + "' (use ms, s, m or h)");
      };
      return check(Duration.ofMillis(millis), value);
    } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
      throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 30s, 5m)");
    }
  }

  private static Duration check(Duration d, String value) {
    if (d.isNegative() || d.isZero()) {
      throw new TypeConversionException("'" + value + "' must be positive");
    }
    return d;
  }
}
