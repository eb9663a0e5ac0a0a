package dev.sessionhub.ops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The CODE argument of {@code send} and {@code broadcast}: literal Python, {@code -} (stdin) or {@code @file.py}. */
final class CodeArgument {

  static final String DESCRIPTION = "Python to run; '-' reads it from stdin, '@path.py' from a file (UTF-8).";

  private CodeArgument() {
  }

  static String read(String argument) {
    try {
      if (argument.equals("-")) {
        return new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
      }
      if (argument.startsWith("@") && argument.length() > 1) {
        return Files.readString(Path.of(argument.substring(1)), StandardCharsets.UTF_8);
      }
      return argument;
    } catch (NoSuchFileException e) {
      throw new CliException(CliException.USAGE, "no such file: " + argument.substring(1));
    } catch (IOException e) {
      throw new CliException(CliException.USAGE, "cannot read the code from "
          + (argument.equals("-") ? "stdin" : argument.substring(1)) + ": " + e.getMessage());
    }
  }
}
