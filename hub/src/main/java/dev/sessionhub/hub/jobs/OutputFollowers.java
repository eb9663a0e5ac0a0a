package dev.sessionhub.hub.jobs;

import dev.sessionhub.hub.client.AgentOutputClient;
import io.vertx.core.Vertx;

/** Makes the {@link OutputFollower} of each command a runner sends to an agent that answers {@code output}. */
public final class OutputFollowers {

  private final Vertx vertx;
  private final AgentOutputClient client;
  private final JobOutputs outputs;

  public OutputFollowers(Vertx vertx, AgentOutputClient client, JobOutputs outputs) {
    this.vertx = vertx;
    this.client = client;
    this.outputs = outputs;
  }

  OutputFollower follower(String jobId, String address, String url) {
    return new OutputFollower(vertx, client, outputs, jobId, address, url);
  }
}
