package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sessionhub job ID}: a job's targets and their ends, as {@code broadcast} prints them. */
@Command(name = "job", mixinStandardHelpOptions = true,
    description = {"Show a job (from send or broadcast): one row per session, pending ones included.",
        "Exit 0 when every session ended ok, 1 when any failed or is still pending, 2 for an unknown job."})
final class JobCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "ID", description = "The job id, as broadcast, send --json or jobs print it.")
  String id;

  @Override
  public Integer call() {
    JsonObject view = hub.connect().get("/api/jobs/" + ApiPaths.segment(id));
    if (hub.json) {
      System.out.println(view.encodePrettily());
      return JobReport.allOk(view) ? 0 : 1;
    }
    return JobReport.print(view, System.out);
  }
}
