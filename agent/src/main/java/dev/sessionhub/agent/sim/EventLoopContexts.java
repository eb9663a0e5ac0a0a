package dev.sessionhub.agent.sim;

import io.vertx.core.AbstractVerticle;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Event-loop contexts on different event loops, for work that should not all land on one: a server started on a
 * context serves its connections on that context's event loop, and every call from one plain thread gets the
 * same context. Each context is that of a deployed verticle that does nothing (Vert.x hands deployments the
 * event loops in turn).
 */
final class EventLoopContexts {

  private EventLoopContexts() {
  }

  static List<Context> spread(Vertx vertx, int count) throws Exception {
    List<Future<Context>> deployed = new ArrayList<>();
    for (int i = 0; i < Math.max(1, count); i++) {
      Promise<Context> deployedOn = Promise.promise();
      vertx.deployVerticle(new AbstractVerticle() {
        @Override
        public void start() {
          deployedOn.complete(context);
        }
      }).onFailure(deployedOn::tryFail);
      deployed.add(deployedOn.future());
    }
    Future.all(deployed).await(30, TimeUnit.SECONDS);
    List<Context> contexts = new ArrayList<>();
    deployed.forEach(f -> contexts.add(f.result()));
    return contexts;
  }
}
