package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.jobs.Job;
import dev.sessionhub.hub.impl.jobs.JobRequester;
import dev.sessionhub.hub.impl.jobs.JobService;
import dev.sessionhub.hub.impl.jobs.Rollout;
import dev.sessionhub.hub.impl.jobs.JobTimeouts;
import dev.sessionhub.hub.impl.jobs.JobView;
import dev.sessionhub.shared.selector.Selector;
import dev.sessionhub.shared.selector.SelectorSyntaxException;
import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;

/**
 * Commands and jobs over REST: {@code POST /api/sessions/{address}/command}, {@code POST /api/broadcast} (both
 * with {@code "wait": false} answer 202 with the job's id at once),
 * {@code GET /api/jobs/{id}}, {@code GET /api/jobs}. Thin: parse, call {@link JobService}, map to a status.
 */
final class JobsResource {

  private final JobService jobs;

  JobsResource(JobService jobs) {
    this.jobs = jobs;
  }

  void command(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    String code = body.getValue("code") instanceof String s ? s : null;
    if (code == null) {
      ApiErrors.send(ctx, 400, "bad_request", "the body needs a string 'code'");
      return;
    }
    Duration timeout = timeout(ctx, body);
    if (timeout == null) {
      return;
    }
    Boolean wait = wait(ctx, body);
    if (wait == null) {
      return;
    }
    respond(ctx, jobs.route(ctx.pathParam("address"), code, timeout, who(ctx)), wait);
  }

  void broadcast(RoutingContext ctx) {
    JsonObject body = body(ctx);
    if (body == null) {
      return;
    }
    if (!(body.getValue("code") instanceof String code)) {
      ApiErrors.send(ctx, 400, "bad_request", "the body needs a string 'code'");
      return;
    }
    Object selectorValue = body.getValue("selector");
    if (selectorValue != null && !(selectorValue instanceof String)) {
      // Never read a wrong type as "" (every session): a caller's bug must not run code everywhere.
      ApiErrors.send(ctx, 400, "bad_request", "'selector' must be a string (empty or '*' selects every session)");
      return;
    }
    Selector selector;
    try {
      selector = Selector.parse(selectorValue == null ? "" : (String) selectorValue);
    } catch (SelectorSyntaxException e) {
      ApiErrors.badSelector(ctx, e);
      return;
    }
    Duration timeout = timeout(ctx, body);
    if (timeout == null) {
      return;
    }
    Boolean wait = wait(ctx, body);
    if (wait == null) {
      return;
    }
    Rollout rollout;
    try {
      rollout = Rollout.fromRequest(body.getMap());
    } catch (IllegalArgumentException e) {
      ApiErrors.send(ctx, 400, "bad_request", e.getMessage());
      return;
    }
    respond(ctx, jobs.broadcast(selector, code, timeout, rollout, who(ctx)), wait);
  }

  /**
   * {@code DELETE /api/jobs/{id}}: cancels a running job through this hub, whichever hub coordinates it. 200 with
   * the job as it stands, 404 for an unknown job, 409 for one that already ended.
   */
  void cancel(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    jobs.cancel(id, who(ctx)).onComplete(ar -> {
      if (ar.succeeded()) {
        JsonReplies.ok(ctx, ar.result().toJson(true));
      } else {
        JobFailures.send(ctx, ar.cause());
      }
    });
  }

  private void respond(RoutingContext ctx, Future<Job> started, boolean wait) {
    started.onComplete(ar -> {
      if (ar.failed()) {
        fail(ctx, ar.cause());
        return;
      }
      Job job = ar.result();
      if (!wait) {
        ctx.response().setStatusCode(202);
        JsonReplies.ok(ctx, new JsonObject().put("id", job.id()).put("state", "running")
            .put("target_count", job.targets().size()).put("url", "/api/jobs/" + job.id()));
        return;
      }
      jobs.await(job.id()).onComplete(done -> {
        if (done.failed()) {
          fail(ctx, done.cause());
        } else {
          JsonReplies.ok(ctx, done.result().toJson(true));
        }
      });
    });
  }

  void one(RoutingContext ctx) {
    String id = ctx.pathParam("id");
    jobs.view(id).onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.internal(ctx, ar.cause());
      } else if (ar.result() == null) {
        ApiErrors.send(ctx, 404, "unknown_job", "no job " + id + " (jobs are kept for 24 h)");
      } else {
        JsonReplies.ok(ctx, ar.result().toJson(true));
      }
    });
  }

  void recent(RoutingContext ctx) {
    int limit;
    try {
      limit = Math.max(1, Math.min(500, Integer.parseInt(ctx.request().getParam("limit", "50"))));
    } catch (NumberFormatException e) {
      ApiErrors.send(ctx, 400, "bad_request", "limit must be a number");
      return;
    }
    jobs.recent(limit).onComplete(ar -> {
      if (ar.failed()) {
        ApiErrors.internal(ctx, ar.cause());
        return;
      }
      JsonArray items = new JsonArray();
      for (JobView v : ar.result()) {
        items.add(v.toJson(false));
      }
      JsonReplies.ok(ctx, new JsonObject().put("count", items.size()).put("jobs", items));
    });
  }

  private static JsonObject body(RoutingContext ctx) {
    try {
      JsonObject body = ctx.body().asJsonObject();
      if (body == null) {
        ApiErrors.send(ctx, 400, "bad_request", "expected a JSON object body");
      }
      return body;
    } catch (DecodeException | ClassCastException e) {
      ApiErrors.send(ctx, 400, "bad_request", "the body is not a JSON object: " + e.getMessage());
      return null;
    }
  }

  private static Duration timeout(RoutingContext ctx, JsonObject body) {
    try {
      return JobTimeouts.ofSeconds(body.getValue("timeout"));
    } catch (IllegalArgumentException e) {
      ApiErrors.send(ctx, 400, "bad_request", "timeout " + e.getMessage());
      return null;
    }
  }

  /** The body's 'wait' (default true: answer with the ended job; false: 202 with the job id at once). */
  private static Boolean wait(RoutingContext ctx, JsonObject body) {
    if (body.getValue("wait", true) instanceof Boolean wait) {
      return wait;
    }
    ApiErrors.send(ctx, 400, "bad_request", "'wait' must be true or false");
    return null;
  }

  private static JobRequester who(RoutingContext ctx) {
    return new JobRequester("rest", RequestGate.caller(ctx));
  }

  private static void fail(RoutingContext ctx, Throwable t) {
    JobFailures.send(ctx, t);
  }
}
