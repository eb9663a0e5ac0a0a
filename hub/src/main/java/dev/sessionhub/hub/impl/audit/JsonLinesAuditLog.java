package dev.sessionhub.hub.impl.audit;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.util.FileSize;
import dev.sessionhub.hub.impl.jobs.Job;
import dev.sessionhub.hub.impl.jobs.JobRequester;
import dev.sessionhub.hub.impl.jobs.JobView;
import dev.sessionhub.hub.impl.jobs.TargetResult;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The audit log as JSON lines in a file that Logback appends to and rotates, in a logger context of its own (by day and by size, old files
 * gzipped and pruned). Lines are handed to an {@link AsyncAppender} that never discards, so an event loop never
 * waits for the disk and no line is dropped; {@link #close()} drains it. The code a job ran is written in full up
 * to {@link AuditLogOptions#getMaxCodeChars()}, always with its SHA-256, so a truncated entry still identifies it.
 * Tokens are never written: the log holds only whether the caller presented one.
 */
public final class JsonLinesAuditLog implements AuditLog {

  private static final AtomicLong INSTANCES = new AtomicLong();

  private final Clock clock;
  private final String hubId;
  private final AuditLogOptions options;
  private final Logger logger;
  private final AsyncAppender async;
  private final LoggerContext context;

  public JsonLinesAuditLog(AuditLogOptions options, Clock clock, String hubId) {
    this.options = options;
    this.clock = clock;
    this.hubId = hubId;
    Path file = options.getFile().toAbsolutePath();
    try {
      Files.createDirectories(file.getParent());
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("cannot create the audit log's directory " + file.getParent() + ": "
          + e.getMessage(), e);
    }
    // a logger context of its own: the application's logging configuration can neither silence nor redirect it
    context = new LoggerContext();
    String name = "sessionhub.audit." + INSTANCES.incrementAndGet();
    context.setName(name);
    context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter());
    context.start();

    PatternLayoutEncoder encoder = new PatternLayoutEncoder();
    encoder.setContext(context);
    encoder.setPattern("%msg%n");
    encoder.setCharset(StandardCharsets.UTF_8);
    encoder.start();

    RollingFileAppender<ILoggingEvent> fileAppender = new RollingFileAppender<>();
    fileAppender.setContext(context);
    fileAppender.setName(name + ".file");
    fileAppender.setFile(file.toString());
    fileAppender.setAppend(true);
    fileAppender.setEncoder(encoder);
    SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
    rolling.setContext(context);
    rolling.setParent(fileAppender);
    rolling.setFileNamePattern(file + ".%d{yyyy-MM-dd}.%i.gz");
    rolling.setMaxFileSize(new FileSize(options.getMaxFileBytes()));
    rolling.setMaxHistory(options.getMaxHistoryDays());
    rolling.setTotalSizeCap(new FileSize(options.getTotalSizeCapBytes()));
    rolling.start();
    fileAppender.setRollingPolicy(rolling);
    fileAppender.start();
    if (!fileAppender.isStarted()) {
      throw new IllegalArgumentException("cannot open the audit log " + file);
    }

    async = new AsyncAppender();
    async.setContext(context);
    async.setName(name);
    async.setQueueSize(8192);
    async.setDiscardingThreshold(0);
    async.setNeverBlock(false);
    async.setIncludeCallerData(false);
    async.setMaxFlushTime(5000);
    async.addAppender(fileAppender);
    async.start();

    logger = context.getLogger(name);
    logger.setAdditive(false);
    logger.setLevel(Level.INFO);
    logger.addAppender(async);
  }

  @Override
  public void jobStarted(Job job, JobRequester requester) {
    JsonObject entry = entry("job.started").put("job", job.id()).put("kind", job.kind())
        .put("channel", requester.channel()).put("remote", requester.peer().address())
        .put("authenticated", requester.peer().authenticated())
        .put("token_required", requester.peer().tokenRequired())
        .put(job.kind().equals("route") ? "session" : "selector", job.selector())
        .put("timeout_ms", job.timeoutMs()).put("targets", new JsonArray(new java.util.ArrayList<>(job.targets())))
        .put("code_sha256", sha256(job.code()));
    String code = job.code();
    if (code.length() > options.getMaxCodeChars()) {
      entry.put("code", code.substring(0, options.getMaxCodeChars())).put("code_truncated", true)
          .put("code_chars", code.length());
    } else {
      entry.put("code", code);
    }
    logger.info(entry.encode());
  }

  @Override
  public void jobFinished(JobView view) {
    JsonObject counts = new JsonObject();
    view.counts().forEach((state, n) -> counts.put(state.wire(), n));
    JsonArray results = new JsonArray();
    for (TargetResult r : view.results()) {
      JsonObject one = new JsonObject().put("session", r.address()).put("state", r.state().wire());
      if (r.faultCode() != 0) {
        one.put("fault_code", r.faultCode());
      }
      results.add(one);
    }
    logger.info(entry("job.finished").put("job", view.job().id()).put("kind", view.job().kind())
        .put("counts", counts).put("results", results)
        .put("duration_ms", java.time.Duration.between(view.job().createdAt(), clock.instant()).toMillis())
        .encode());
  }

  @Override
  public void jobCancelled(String jobId, JobRequester requester) {
    logger.info(entry("job.cancelled").put("job", jobId).put("by", requester.describe()).encode());
  }

  @Override
  public void refused(String address, String method, String path, int status, String reason) {
    logger.info(entry("request.refused").put("remote", address).put("method", method).put("path", path)
        .put("status", status).put("reason", reason).encode());
  }

  private JsonObject entry(String event) {
    return new JsonObject().put("ts", clock.instant().toString()).put("hub", hubId).put("event", event);
  }

  /** One digest per thread: looking the algorithm up per job was a visible share of a routed command's cost. */
  private static final ThreadLocal<MessageDigest> SHA256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  });

  private static String sha256(String code) {
    MessageDigest digest = SHA256.get();
    digest.reset();
    return HexFormat.of().formatHex(digest.digest(code.getBytes(StandardCharsets.UTF_8)));
  }

  /** Writes out every queued line and closes the file. */
  @Override
  public void close() {
    logger.detachAppender(async);
    async.stop();
    context.stop();
  }
}
