package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sessionhub job ID}: a job's targets and their ends, as {@code broadcast} prints them; {@code --follow}
 * waits for a running job, printing its output lines as they come.
 */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = {"Show a job (from send or broadcast): one row per session, pending ones included.",
        "Exit 0 when every session ended ok, 1 when any failed or is still pending, 2 for an unknown job."})
final class JobCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "ID", description = "The job id, as broadcast, send --json or jobs print it.")
  String id;

  @Option(names = "--follow", description = "If the job is running, print each session's output lines as they "
      + "are printed (prefixed 'host:port: ') until it ends, then the rows and the summary.")
  boolean follow;

  @Override
  public Integer call() {
    HubConnection connection = hub.connect();
    JsonObject view = connection.get("/api/jobs/" + ApiPaths.segment(id));
    if (follow && !"done".equals(view.getString("state"))) {
      view = new JobFollower(hub, connection).await(view.getString("id", id), view.getInteger("target_count", 0),
          hub.json ? null : new PrefixedLines(System.out));
    }
    if (hub.json) {
      System.out.println(view.encodePrettily());
      return JobReport.allOk(view) ? 0 : 1;
    }
    return JobReport.print(view, System.out);
  }
}
