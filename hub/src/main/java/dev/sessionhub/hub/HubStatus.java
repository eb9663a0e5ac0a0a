package dev.sessionhub.hub;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * What one hub publishes about itself for the cluster view: where its API is, and its last scan cycle (when,
 * how long, which hosts it owned, which of them are silent, what it found). Stored as JSON in {@link
 * ClusterState}. A silent host answered nothing at all (down, unplugged, or dropping every packet): it is probed
 * on one port a cycle until it answers.
 */
public record HubStatus(String memberId, String memberAddress, String httpUrl, Instant startedAt,
    Instant lastScanAt, long lastScanMillis, long hostsOwned, List<String> hostsSample, long portsProbed,
    long sessionsFound, long sessionsPolled, long hostsSilent, List<String> silentSample) {

  public static final int HOSTS_SAMPLE = 200;

  public JsonObject toJson() {
    return new JsonObject()
        .put("member", memberId)
        .put("member_address", memberAddress)
        .put("http_url", httpUrl)
        .put("started_at", startedAt.toString())
        .put("last_scan_at", lastScanAt == null ? null : lastScanAt.toString())
        .put("last_scan_ms", lastScanMillis)
        .put("hosts_owned", hostsOwned)
        .put("hosts", new JsonArray(new java.util.ArrayList<>(hostsSample)))
        .put("ports_probed", portsProbed)
        .put("sessions_found", sessionsFound)
        .put("sessions_polled", sessionsPolled)
        .put("hosts_silent", hostsSilent)
        .put("silent_hosts", new JsonArray(new java.util.ArrayList<>(silentSample)));
  }

  public static HubStatus fromJson(JsonObject j) {
    String last = j.getString("last_scan_at");
    return new HubStatus(j.getString("member"), j.getString("member_address"), j.getString("http_url"),
        Instant.parse(j.getString("started_at")), last == null ? null : Instant.parse(last),
        j.getLong("last_scan_ms", 0L), j.getLong("hosts_owned", 0L),
        j.getJsonArray("hosts", new JsonArray()).stream().map(String::valueOf).toList(),
        j.getLong("ports_probed", 0L), j.getLong("sessions_found", 0L), j.getLong("sessions_polled", 0L),
        j.getLong("hosts_silent", 0L),
        j.getJsonArray("silent_hosts", new JsonArray()).stream().map(String::valueOf).toList());
  }
}
