package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sessionhub broadcast SELECTOR CODE}: runs Python in every matching session and reports each end. */
@Command(name = "broadcast", mixinStandardHelpOptions = true,
    description = {"Run Python in every session matching SELECTOR and print one row per session and a summary.",
        "Exit 0 when every session ran it (or none matched), 1 when any raised, timed out or could not be "
            + "reached, 2 for a bad selector, 3 when the hub cannot be reached."})
final class BroadcastCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "SELECTOR",
      description = "Terms like 'app=blender tag.show=demo' (all must hold; quote it); '*' for all.")
  String selector;

  @Parameters(index = "1", paramLabel = "CODE", description = CodeArgument.DESCRIPTION)
  String code;

  @Option(names = "--timeout", defaultValue = "30s", converter = DurationConverter.class,
      description = "How long the command may run in each session (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--no-wait", description = "Print the job id and exit; read it later with 'sessionhub job ID'.")
  boolean noWait;

  @Override
  public Integer call() {
    String source = CodeArgument.read(code);
    HubConnection connection = hub.connect();
    JsonObject started = connection.post("/api/broadcast", new JsonObject().put("selector", selector)
        .put("code", source).put("timeout", ApiPaths.seconds(timeout)).put("wait", false), Duration.ofSeconds(30));
    String id = started.getString("id");
    int targets = started.getInteger("target_count", 0);
    if (noWait) {
      System.out.println(hub.json ? started.encodePrettily() : id);
      return 0;
    }
    if (targets == 0 && !hub.json) {
      System.out.println("no session matches '" + (selector.isBlank() ? "*" : selector) + "'");
      return 0;
    }
    JsonObject view = new JobFollower(hub, connection).await(id, targets);
    if (hub.json) {
      System.out.println(view.encodePrettily());
      return JobReport.allOk(view) ? 0 : 1;
    }
    return JobReport.print(view, System.out);
  }
}
