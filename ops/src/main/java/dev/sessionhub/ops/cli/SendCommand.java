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

/**
 * {@code sessionhub send SESSION CODE}: runs Python in one session through the hub and prints what it prints, as
 * it prints it (stdout flushed per piece, terminal or pipe); {@code --json} prints the ended job instead.
 */
@Command(name = "send", mixinStandardHelpOptions = true,
    description = {"Run Python in one session (through the hub) and print its output exactly, as it is printed.",
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
    String path = "/api/sessions/" + ApiPaths.segment(address) + "/command";
    JsonObject request = new JsonObject().put("code", source).put("timeout", ApiPaths.seconds(timeout));
    JsonObject view;
    if (hub.json) {
      view = connection.post(path, request, timeout.plus(HTTP_MARGIN));
      System.out.println(view.encodePrettily());
    } else {
      view = runLive(connection, path, request);
    }
    JsonArray results = view.getJsonArray("results", new JsonArray());
    JsonObject result = results.isEmpty() ? null : results.getJsonObject(0);
    if (result == null) {
      throw new CliException(CliException.FAILED, address + ": no result (job " + view.getString("id") + ")");
    }
    if (!"ok".equals(result.getString("state"))) {
      throw new CliException(CliException.FAILED, result.getString("address", address) + ": "
          + result.getString("state") + ": " + result.getString("message", "").stripTrailing());
    }
    return 0;
  }

  /**
   * Starts the command without waiting and prints its output as the session prints it (then what the live
   * pieces did not show); returns the ended job. A hub that cannot start a routed command without waiting
   * answers with the ended job at once: its output is printed whole.
   */
  private JsonObject runLive(HubConnection connection, String path, JsonObject request) {
    RawOutput output = new RawOutput(System.out, System.err);
    JsonObject started = connection.post(path, request.copy().put("wait", false), timeout.plus(HTTP_MARGIN));
    if (started.containsKey("results")) {
      JsonArray results = started.getJsonArray("results");
      if (!results.isEmpty()) {
        output.ended(results.getJsonObject(0));
      }
      return started;
    }
    return new JobFollower(hub, connection).await(started.getString("id"), 1, output);
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
