package dev.sessionhub.ops.farm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Judges the hubs' own logs for invariant (g): Vert.x's blocked-thread checker warns when an event loop is held
 * over 2 s (a worker over 60 s), and every such warning is a violation, unless the hub was frozen (SIGSTOP) in
 * that time: a stopped JVM's checker reports the whole stop once it runs again. The evidence is the warning and
 * the first SessionHub frame of the stack Vert.x prints with it.
 */
final class BlockedThreadLog {

  private static final Pattern WARNING = Pattern.compile(
      "^(\\d\\d:\\d\\d:\\d\\d\\.\\d{3}) WARN +i\\.v\\.c\\.i\\.BlockedThreadChecker - Thread (\\S+) has been blocked "
          + "for (\\d+) ms");
  /** Slack around a freeze for the checker's own period (1 s) and the freeze's bookkeeping. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private final SoakTimeline timeline;
  private final SoakViolations violations;
  private final LocalDate day;
  private final ZoneId zone;
  private int warnings;
  private int excused;

  /** {@code startedAt}: the soak's start, to turn the logs' times of day into instants. */
  BlockedThreadLog(SoakTimeline timeline, SoakViolations violations, Instant startedAt, ZoneId zone) {
    this.timeline = timeline;
    this.violations = violations;
    this.zone = zone;
    this.day = startedAt.atZone(zone).toLocalDate();
  }

  /** Reads {@code hubN.log} in {@code dir} for each hub. */
  void judge(Path dir, int... hubs) throws IOException {
    for (int hub : hubs) {
      Path log = dir.resolve("hub" + hub + ".log");
      if (Files.exists(log)) {
        judge(hub, Files.readAllLines(log));
      }
    }
  }

  void judge(int hub, List<String> lines) {
    LocalTime previous = LocalTime.MIN;
    LocalDate date = day;
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = WARNING.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      LocalTime time = LocalTime.parse(m.group(1));
      if (time.isBefore(previous)) {
        date = date.plusDays(1); // the run went past midnight
      }
      previous = time;
      Instant at = date.atTime(time).atZone(zone).toInstant();
      long blockedMs = Long.parseLong(m.group(3));
      warnings++;
      if (timeline.frozenDuring(hub, at.minusMillis(blockedMs).minus(SLACK), at)) {
        excused++;
        continue;
      }
      String thread = m.group(2);
      String frame = firstOwnFrame(lines, i + 1);
      violations.seen(SoakViolations.EVENT_LOOP, hub + "|" + thread, at, () -> "hub " + hub + ": " + thread
          + " blocked for " + blockedMs + " ms" + (frame.isEmpty() ? "" : ", in " + frame));
    }
  }

  /** The first {@code dev.sessionhub} frame of the stack trace printed after line {@code from}, or "". */
  private static String firstOwnFrame(List<String> lines, int from) {
    for (int i = from; i < lines.size() && i < from + 60; i++) {
      String line = lines.get(i).strip();
      if (WARNING.matcher(lines.get(i)).find() || !(line.startsWith("at ") || line.startsWith("io.vertx"))) {
        return "";
      }
      int own = line.indexOf("dev.sessionhub.");
      if (own >= 0) {
        return line.substring(own);
      }
    }
    return "";
  }

  int warnings() {
    return warnings;
  }

  int excused() {
    return excused;
  }
}
