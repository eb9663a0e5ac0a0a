package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sessionhub send SESSION CODE}: runs Python in one session through the hub and prints what it printed. */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Run Python in one session (through the hub) and print its output exactly.",
        "Exit 0 when it ran, 1 when it raised, timed out or the session could not be reached, 2 for an unknown "
            + "session, 3 when the hub cannot be reached."})
final class SendCommand implements Callable<Integer> {

  /** Room beyond the command's timeout for the hub to record and return the result. */
  static final Duration HTTP_MARGIN = Duration.ofSeconds(15);
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]+");

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "SESSION",
      description = "The session's address host:port as 'sessionhub ls' shows it, or its unique name.")
  String session;

  @Parameters(index = "1", paramLabel = "CODE", description = CodeArgument.DESCRIPTION)
  String code;

  @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long the command may run (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() {
    String source = CodeArgument.read(code);
    HubConnection connection = hub.connect();
    String address = resolve(connection, session);
    JsonObject view = connection.post("/api/sessions/" + ApiPaths.segment(address) + "/command",
        new JsonObject().put("code", source).put("timeout", ApiPaths.seconds(timeout)), timeout.plus(HTTP_MARGIN));
    JsonArray results = view.getJsonArray("results", new JsonArray());
    JsonObject result = results.isEmpty() ? null : results.getJsonObject(0);
    if (hub.json) {
      System.out.println(view.encodePrettily());
    } else if (result != null && "ok".equals(result.getString("state"))) {
      byte[] output = result.getString("output", "").getBytes(StandardCharsets.UTF_8);
      System.out.write(output, 0, output.length);
      System.out.flush();
    }
    if (result == null) {
      throw new CliException(CliException.FAILED, address + ": no result (job " + view.getString("id") + ")");
    }
    if (!"ok".equals(result.getString("state"))) {
      throw new CliException(CliException.FAILED, result.getString("address", address) + ": "
          + result.getString("state") + ": " + result.getString("message", "").stripTrailing());
    }
    return 0;
  }

  /** An address as given; a bare name (no ':') becomes the address of the one session of that name. */
  static String resolve(HubConnection connection, String session) {
    if (session.contains(":") || !NAME.matcher(session).matches()) {
      return session;
    }
    JsonObject listing = connection.get("/api/sessions?selector="
        + URLEncoder.encode("name=" + session, StandardCharsets.UTF_8));
    JsonArray sessions = listing.getJsonArray("sessions", new JsonArray());
    if (sessions.size() == 1) {
      return sessions.getJsonObject(0).getString("address");
    }
    if (sessions.isEmpty()) {
      throw new CliException(CliException.USAGE, "no session named '" + session + "' (give a host:port address "
          + "or a name, as 'sessionhub ls' shows them)");
    }
    StringBuilder addresses = new StringBuilder();
    sessions.forEach(s -> addresses.append(addresses.length() == 0 ? "" : ", ")
        .append(((JsonObject) s).getString("address")));
    throw new CliException(CliException.USAGE, sessions.size() + " sessions are named '" + session + "' ("
        + addresses + "); give one's address");
  }
}
