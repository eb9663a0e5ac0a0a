package dev.sessionhub.ops.cli;

import dev.sessionhub.shared.scan.TargetSyntaxException;
import dev.sessionhub.hub.impl.discovery.Diagnosis;
import dev.sessionhub.shared.scan.HostPort;
import io.vertx.core.json.JsonObject;
import java.net.InetAddress;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code sessionhub doctor HOST:PORT}: why a session is or is not listed. Asks every hub of the cluster what it
 * knows of the address (the hub owning its host keeps the last probe and poll outcome), checks the name resolves,
 * and prints one line per finding, each problem with its fix. Exits 0 when the session is listed, 1 when not.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true,
    description = "Explain why the session at HOST:PORT is or is not listed (exit 0 if listed, 1 if not).")
final class DoctorCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "HOST:PORT", description = "The session's address, e.g. render07:8000.")
  String address;

  @Override
  public Integer call() {
    HostPort target = parse(address);
    String key = target.toString();
    HubConnection first = hub.connect();
    String path = "/api/diagnose/" + URLEncoder.encode(key, StandardCharsets.UTF_8);
    JsonObject mine = first.get(path);
    List<JsonObject> answers = new ArrayList<>();
    answers.add(mine);
    JsonObject cluster = first.get("/api/cluster");
    for (Object o : cluster.getJsonArray("members")) {
      JsonObject member = (JsonObject) o;
      String url = member.getString("http_url");
      if (member.getBoolean("local", false) || url == null) {
        continue;
      }
      try {
        answers.add(hub.connect(url).get(path));
      } catch (CliException unreachable) {
        System.err.println("note: hub " + member.getString("member") + " at " + url + " did not answer: "
            + unreachable.getMessage());
      }
    }
    Diagnosis.Report report = Diagnosis.explain(key, answers, dnsProblem(target.host()));
    if (hub.json) {
      System.out.println(new JsonObject().put("address", key).put("listed", report.listed())
          .put("lines", new io.vertx.core.json.JsonArray(report.lines())).encodePrettily());
    } else {
      report.lines().forEach(System.out::println);
    }
    return report.listed() ? 0 : CliException.FAILED;
  }

  private static HostPort parse(String text) {
    try {
      return HostPort.parse(text);
    } catch (TargetSyntaxException e) {
      throw new CliException(CliException.USAGE, "expected HOST:PORT (IPv6 in brackets), got '" + text + "'");
    }
  }

  /** Null when {@code host} resolves here (or is an address), else why not. */
  private static String dnsProblem(String host) {
    try {
      InetAddress.getByName(host);
      return null;
    } catch (UnknownHostException e) {
      return "the name " + host + " does not resolve (DNS) on this machine";
    }
  }
}
