package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sessionhub broadcast SELECTOR CODE}: runs Python in every matching session and reports each end; with
 * {@code --follow}, first each session's output lines as they are printed.
 */
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

  @Option(names = "--follow", description = "Print each session's output lines as they are printed, prefixed "
      + "'host:port: ', then the rows and the summary.")
  boolean follow;

  @Option(names = "--batch", paramLabel = "N|P%",
      description = "Roll out in waves of N sessions (or P%% of them): each wave ends before the next is sent.")
  String batch;

  @Option(names = "--batch-wait", converter = DurationConverter.class, paramLabel = "DURATION",
      description = "Wait this long between waves (with --batch).")
  Duration batchWait;

  @Option(names = "--max-failures", paramLabel = "N",
      description = "Stop the rollout once N sessions did not end ok: later waves end 'skipped', never sent.")
  Integer maxFailures;

  @Option(names = "--fail-fast", description = "Stop the rollout at the first session that does not end ok "
      + "(--max-failures 1).")
  boolean failFast;

  @Override
  public Integer call() {
    if (follow && (hub.json || noWait)) {
      throw new CliException(CliException.USAGE, "--follow prints lines as they come: not with "
          + (hub.json ? "--json" : "--no-wait"));
    }
    String source = CodeArgument.read(code);
    HubConnection connection = hub.connect();
    JsonObject request = new JsonObject().put("selector", selector)
        .put("code", source).put("timeout", ApiPaths.seconds(timeout)).put("wait", false);
    if (batch != null) {
      request.put("batch", batch);
    }
    if (batchWait != null) {
      request.put("batch_wait", batchWait.toMillis() / 1000.0);
    }
    if (maxFailures != null) {
      request.put("max_failures", maxFailures);
    }
    if (failFast) {
      request.put("fail_fast", true);
    }
    JsonObject started = connection.post("/api/broadcast", request, Duration.ofSeconds(30));
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
    JsonObject view = new JobFollower(hub, connection).await(id, targets,
        follow ? new PrefixedLines(System.out) : null);
    if (hub.json) {
      System.out.println(view.encodePrettily());
      return JobReport.allOk(view) ? 0 : 1;
    }
    return JobReport.print(view, System.out);
  }
}
