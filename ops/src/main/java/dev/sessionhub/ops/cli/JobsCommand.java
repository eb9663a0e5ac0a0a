package dev.sessionhub.ops.cli;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sessionhub jobs}: the hub's recent jobs, newest first. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "List recent jobs, newest first.")
final class JobsCommand implements Callable<Integer> {

  @Mixin
  HubClientOptions hub;

  @Option(names = "--limit", defaultValue = "20", description = "How many jobs (1-500, default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 500) {
      throw new CliException(CliException.USAGE, "--limit must be between 1 and 500");
    }
    JsonObject listing = hub.connect().get("/api/jobs?limit=" + limit);
    if (hub.json) {
      System.out.println(listing.encodePrettily());
      return 0;
    }
    Table table = new Table("ID", "KIND", "SELECTOR", "CREATED", "STATE", "COUNTS");
    JsonArray jobs = listing.getJsonArray("jobs", new JsonArray());
    for (int i = 0; i < jobs.size(); i++) {
      JsonObject job = jobs.getJsonObject(i);
      table.row(job.getString("id"), job.getString("kind"), job.getString("selector"),
          job.getString("created_at", "").replace('T', ' ').replaceAll("\\.\\d+Z$", "Z"), job.getString("state"),
          job.getInteger("target_count", 0) + ": " + JobReport.counts(job));
    }
    table.print(System.out);
    System.out.println(jobs.size() + (jobs.size() == 1 ? " job" : " jobs"));
    return 0;
  }
}
