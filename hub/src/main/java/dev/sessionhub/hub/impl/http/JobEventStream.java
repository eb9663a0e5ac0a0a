package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.jobs.JobEvents;
import dev.sessionhub.hub.impl.jobs.JobOutputs;
import dev.sessionhub.hub.impl.jobs.JobService;
import dev.sessionhub.hub.impl.jobs.JobView;
import dev.sessionhub.hub.impl.jobs.TargetResult;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /api/jobs/{id}/events}: a job's progress as server-sent events. It first sends the results so far
 * and what running targets printed so far, then {@code output} events ({@code {address, text, skipped}}) as
 * running targets print (from {@link JobOutputs}, whichever hub follows them), one {@code result} event per target
 * as it ends (from the results map, wherever it was written), and a final {@code done} event with the counts,
 * then closes.
 */
public final class JobEventStream {

  private final Vertx vertx;
  private final JobService jobs;

  JobEventStream(Vertx vertx, JobService jobs) {
    this.vertx = vertx;
    this.jobs = jobs;
  }

  void handle(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    HttpServerResponse response = ctx.response();
    Set<String> sent = new HashSet<>();
    // Subscribe before the first read, so no result can fall between the two; 'sent' drops duplicates.
    Map<String, Long> relayedTo = new HashMap<>();
    MessageConsumer<String> output = vertx.eventBus().consumer(JobEvents.outputAddress(id), message -> {
      if (response.headWritten() && !response.ended()) {
        relayOutput(response, JobOutputs.Chunk.fromJson(new JsonObject(message.body())), sent, relayedTo);
      }
    });
    MessageConsumer<String> consumer = vertx.eventBus().consumer(JobEvents.resultsAddress(id), message -> {
      if (!response.headWritten()) {
        return;
      }
      TargetResult result = TargetResult.fromJson(new JsonObject(message.body()));
      if (id.equals(result.jobId()) && sent.add(result.address())) {
        response.write("event: result\ndata: " + message.body() + "\n\n");
        maybeDone(id, response, sent);
      }
    });
    jobs.view(id).onComplete(ar -> {
      if (ar.failed() || ar.result() == null) {
        consumer.unregister();
        output.unregister();
        ApiErrors.send(ctx, 404, "unknown_job", "no job " + id);
        return;
      }
      response.setChunked(true).putHeader("Content-Type", "text/event-stream").putHeader("Cache-Control",
          "no-cache");
      response.write(": job " + id + "\n\n");
      for (TargetResult r : ar.result().results()) {
        if (sent.add(r.address())) {
          response.write("event: result\ndata: " + r.toJson().encode() + "\n\n");
        }
      }
      ar.result().liveOutput().forEach((address, soFar) -> relayOutput(response,
          new JobOutputs.Chunk(id, address, soFar.text(), soFar.cursor(), 0), sent, relayedTo));
      long deadline = Math.max(1, java.time.Duration.between(java.time.Instant.now(), ar.result().job().deadline())
          .toMillis());
      long timer = vertx.setTimer(deadline + 500, t -> maybeDone(id, response, sent));
      // the last result's event can come before its coordinator has stored everything (the job reads done then);
      // already stored (or coordinated elsewhere): the maybeDone below covers it
      Future<Void> stored = jobs.whenStored(id);
      if (!stored.isComplete()) {
        stored.onComplete(x -> maybeDone(id, response, sent));
      }
      response.endHandler(v -> {
        consumer.unregister();
        output.unregister();
        vertx.cancelTimer(timer);
      });
      response.closeHandler(v -> {
        consumer.unregister();
        output.unregister();
        vertx.cancelTimer(timer);
      });
      maybeDone(id, response, sent);
    });
  }

  /**
   * Writes a piece of a running target's output once: not after the target's result, and not a piece the stream
   * has already relayed (by the agent's cursor after it: the snapshot of output so far and the pieces heard after
   * subscribing can overlap).
   */
  private static void relayOutput(HttpServerResponse response, JobOutputs.Chunk chunk, Set<String> ended,
      Map<String, Long> relayedTo) {
    if (chunk.address() == null || ended.contains(chunk.address())
        || chunk.cursor() <= relayedTo.getOrDefault(chunk.address(), -1L)) {
      return;
    }
    relayedTo.put(chunk.address(), chunk.cursor());
    JsonObject data = new JsonObject().put("address", chunk.address()).put("text", chunk.text());
    if (chunk.skipped() > 0) {
      data.put("skipped", chunk.skipped());
    }
    response.write("event: output\ndata: " + data.encode() + "\n\n");
  }

  /**
   * Ends the stream once the job is done, first sending every result the stream has not relayed yet: the final
   * view can hold results whose events are still on their way, and each target gets its event exactly once.
   */
  private void maybeDone(String id, HttpServerResponse response, Set<String> sent) {
    jobs.view(id).onSuccess(view -> {
      if (view != null && view.done() && !response.ended() && !response.closed()) {
        for (TargetResult r : view.results()) {
          if (sent.add(r.address())) {
            response.write("event: result\ndata: " + r.toJson().encode() + "\n\n");
          }
        }
        JobView v = view;
        response.write("event: done\ndata: " + v.toJson(false).encode() + "\n\n");
        response.end();
      }
    });
  }
}
