package dev.sessionhub.hub.impl.http;

import dev.sessionhub.hub.impl.jobs.JobRefusal;
import dev.sessionhub.shared.xmlrpc.FaultCode;
import dev.sessionhub.shared.xmlrpc.XmlRpcFaultException;
import io.vertx.ext.web.RoutingContext;

/** How a refused or failed job request is answered: over REST (status and error key) and XML-RPC (a fault). */
final class JobFailures {

  private JobFailures() {
  }

  /** A REST answer: 404 for an unknown session or job, 409 for a job that already ended, else 500. */
  static void send(RoutingContext ctx, Throwable failure) {
    if (!(failure instanceof JobRefusal refusal)) {
      ApiErrors.internal(ctx, failure);
      return;
    }
    switch (refusal.reason()) {
      case UNKNOWN_SESSION -> ApiErrors.send(ctx, 404, "unknown_session", refusal.getMessage());
      case UNKNOWN_JOB -> ApiErrors.send(ctx, 404, "unknown_job", refusal.getMessage());
      case JOB_ENDED -> ApiErrors.send(ctx, 409, "job_ended", refusal.getMessage());
    }
  }

  /** The XML-RPC fault for a failure: -32004 unknown session or job, -32008 job ended; others pass unchanged. */
  static Throwable asFault(Throwable failure) {
    if (!(failure instanceof JobRefusal refusal)) {
      return failure;
    }
    FaultCode code = switch (refusal.reason()) {
      case UNKNOWN_SESSION, UNKNOWN_JOB -> FaultCode.NOT_FOUND;
      case JOB_ENDED -> FaultCode.CONFLICT;
    };
    return new XmlRpcFaultException(code, refusal.getMessage());
  }
}
