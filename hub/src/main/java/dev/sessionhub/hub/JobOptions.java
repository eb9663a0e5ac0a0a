package dev.sessionhub.hub;

import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** How long finished jobs stay readable, and where who-ran-what is recorded (the audit log). */
public final class JobOptions {

  public static final Duration DEFAULT_JOB_TTL = Duration.ofHours(24);

  private Duration jobTtl = DEFAULT_JOB_TTL;
  private String auditLog;

  public JobOptions() {
  }

  /** Reads the keys {@link #toJson()} writes; absent keys keep their defaults. */
  public JobOptions(JsonObject json) {
    setJobTtl(Duration.ofMillis(json.getLong("jobTtlMs", jobTtl.toMillis())));
    setAuditLog(json.getString("auditLog"));
  }

  public JsonObject toJson() {
    return new JsonObject().put("jobTtlMs", jobTtl.toMillis()).put("auditLog", auditLog);
  }

  public Duration getJobTtl() {
    return jobTtl;
  }

  /** How long finished jobs stay readable (default 24 h). */
  public JobOptions setJobTtl(Duration jobTtl) {
    this.jobTtl = HubOptions.positive(jobTtl, "job TTL");
    return this;
  }

  /** The audit log file (JSON lines, rotated); null records nothing. */
  public String getAuditLog() {
    return auditLog;
  }

  public JobOptions setAuditLog(String auditLog) {
    this.auditLog = auditLog == null || auditLog.isBlank() ? null : auditLog;
    return this;
  }
}
