package dev.sessionhub.hub.impl.audit;

import dev.sessionhub.hub.impl.jobs.Job;
import dev.sessionhub.hub.impl.jobs.JobRequester;
import dev.sessionhub.hub.impl.jobs.JobView;

/**
 * What a hub records about the use of its power to run code: who asked (address, authenticated or not), what
 * code, on which sessions, and how each ended; plus refused requests. One JSON object per line, append-only.
 */
public interface AuditLog extends AutoCloseable {

  /** An audit log that records nothing (embedded hubs that were given no file). */
  AuditLog NONE = new AuditLog() {
    @Override
    public void jobStarted(Job job, JobRequester requester) {
    }

    @Override
    public void jobCancelled(String jobId, JobRequester requester) {
    }

    @Override
    public void jobFinished(JobView view) {
    }

    @Override
    public void refused(String address, String method, String path, int status, String reason) {
    }

    @Override
    public void close() {
    }
  };

  void jobStarted(Job job, JobRequester requester);

  void jobFinished(JobView view);

  /** A caller cancelled a job (through this hub). */
  void jobCancelled(String jobId, JobRequester requester);

  /** A request answered with a refusal status (401 no or wrong token, 429 over the client's rate). */
  void refused(String address, String method, String path, int status, String reason);

  @Override
  void close();
}
