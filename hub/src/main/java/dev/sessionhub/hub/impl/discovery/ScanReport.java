package dev.sessionhub.hub.impl.discovery;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * What one pass over a set of addresses found: how many were probed, how many were open, which were sessions, and
 * which hosts were silent (tried, and not one probe or call to them was answered, not even refused).
 */
public record ScanReport(long probed, long open, List<FoundSession> sessions, List<String> notSessions,
    Duration took, Set<String> silentHosts) {
}
