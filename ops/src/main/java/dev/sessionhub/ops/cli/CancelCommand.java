package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code sessionhub cancel ID}: cancels a running job through any hub of its cluster. */
@Command(name = "cancel", mixinStandardHelpOptions = true,
    description = {"Cancel a running job (from send or broadcast) through any hub of its cluster: sessions not yet "
        + "sent the command never run it, commands queued or running in SessionHub sessions are stopped, and the "
        + "job's rows say which.",
        "Exit 0 once cancelled, 1 when the job already ended, 2 for an unknown job, 3 when the hub cannot be "
            + "reached."})
final class CancelCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Parameters(index = "0", paramLabel = "ID", description = "The job id, as broadcast --no-wait or jobs print it.")
  String id;

  @Override
  public Integer call() {
    JsonObject view = hub.connect().delete("/api/jobs/" + ApiPaths.segment(id));
    if (hub.json) {
      System.out.println(view.encodePrettily());
    } else {
      System.out.println("cancelled job " + id + ": " + JobReport.counts(view));
    }
    return 0;
  }
}
