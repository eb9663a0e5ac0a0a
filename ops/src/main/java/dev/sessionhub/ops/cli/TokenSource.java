package dev.sessionhub.ops.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Map;
import java.util.Set;

/**
 * Where a token comes from, in this order: the {@code --token} flag, the {@code --token-file} flag, the
 * {@code SESSIONHUB_TOKEN} environment variable, the {@code SESSIONHUB_TOKEN_FILE} environment variable. A token
 * file must be readable by its owner only, as SSH insists for keys; prefer it (or the environment) to the flag,
 * which other users can read in {@code ps}.
 */
public final class TokenSource {

  public static final String ENV_TOKEN = "SESSIONHUB_TOKEN";
  public static final String ENV_TOKEN_FILE = "SESSIONHUB_TOKEN_FILE";

  private TokenSource() {
  }

  public static String resolve(String flag, Path file, Map<String, String> env) {
    if (flag != null && !flag.isEmpty()) {
      return flag;
    }
    if (file != null) {
      return read(file);
    }
    String fromEnv = env.get(ENV_TOKEN);
    if (fromEnv != null && !fromEnv.isEmpty()) {
      return fromEnv;
    }
    String envFile = env.get(ENV_TOKEN_FILE);
    return envFile == null || envFile.isEmpty() ? null : read(Path.of(envFile));
  }

  static String read(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      for (PosixFilePermission p : perms) {
        if (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS")) {
          throw new IllegalArgumentException("token file " + file + " is readable by others ("
              + java.nio.file.attribute.PosixFilePermissions.toString(perms) + "): chmod 600 it");
        }
      }
      String token = Files.readString(file, StandardCharsets.UTF_8).strip();
      if (token.isEmpty()) {
        throw new IllegalArgumentException("token file " + file + " is empty");
      }
      return token;
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read token file " + file + ": " + e.getMessage());
    } catch (UnsupportedOperationException e) {
      throw new IllegalArgumentException("cannot check the permissions of token file " + file);
    }
  }
}
