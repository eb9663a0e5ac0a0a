package dev.sessionhub.hub.discovery;

import java.time.Duration;
import java.util.List;

/** What one pass over a set of addresses found: how many were probed, how many were open, which were sessions. */
public record ScanReport(long probed, long open, List<FoundSession> sessions, List<String> notSessions,
    Duration took) {
}
