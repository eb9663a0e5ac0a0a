package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sessionhub ls [SELECTOR]}: the sessions a hub knows, as a table or JSON. */
@Command(name = "ls", mixinStandardHelpOptions = true,
    description = "List the sessions a hub knows that match SELECTOR (all by default).")
final class LsCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(arity = "0..*", paramLabel = "SELECTOR",
      description = "Terms like app=blender host=render0* tag.show=abc (all must hold); '*' or none for all.")
  java.util.List<String> selector = new java.util.ArrayList<>();

  @Override
  public Integer call() {
    String text = String.join(" ", selector);
    JsonObject listing = hub.connect().get("/api/sessions?selector=" + URLEncoder.encode(text, StandardCharsets.UTF_8));
    if (hub.json) {
      System.out.println(listing.encodePrettily());
      return 0;
    }
    printSessions(listing);
    return 0;
  }

  static void printSessions(JsonObject listing) {
    Table table = new Table("ADDRESS", "APP", "PID", "USER", "NAME", "FILE", "OBJECTS", "SOURCE", "LAST SEEN");
    for (Object o : listing.getJsonArray("sessions")) {
      JsonObject s = (JsonObject) o;
      table.row(s.getString("address"), s.getString("app"), s.getValue("pid"), s.getString("user"),
          s.getString("name"), s.getString("file_path"), s.getValue("object_count"), s.getString("source"),
          s.getString("last_seen", "").replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"));
    }
    table.print(System.out);
    int count = listing.getInteger("count");
    System.out.println(count + " session" + (count == 1 ? "" : "s") + " match '" + listing.getString("selector") + "'");
  }
}
