package dev.sessionhub.hub.impl.metrics;

import dev.sessionhub.hub.impl.jobs.JobView;
import dev.sessionhub.hub.impl.jobs.TargetState;

/**
 * What jobs report to the metrics: each command a hub ran (on the hub that ran it) and each job its coordinator
 * finished, with its targets' ends (counted once, by the coordinator).
 */
public interface JobMetrics {

  /** Records nothing. */
  JobMetrics NONE = new JobMetrics() {
    @Override
    public void commandEnded(TargetState state, long nanos) {
    }

    @Override
    public void jobFinished(JobView view) {
    }
  };

  void commandEnded(TargetState state, long nanos);

  void jobFinished(JobView view);
}
