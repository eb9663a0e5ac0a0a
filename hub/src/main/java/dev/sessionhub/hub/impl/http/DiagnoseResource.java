package dev.sessionhub.hub.impl.http;

import dev.sessionhub.shared.scan.TargetSyntaxException;
import com.hazelcast.cluster.Member;
import dev.sessionhub.hub.impl.cluster.HostOwners;
import dev.sessionhub.hub.impl.cluster.HubIds;
import dev.sessionhub.hub.impl.discovery.Diagnosis;
import dev.sessionhub.hub.impl.discovery.ScanOutcomes;
import dev.sessionhub.hub.impl.discovery.TlsSniffer;
import dev.sessionhub.hub.impl.client.AgentCallException;
import dev.sessionhub.hub.impl.inventory.InventoryView;
import dev.sessionhub.hub.impl.inventory.SessionRecord;
import dev.sessionhub.hub.impl.inventory.SessionRecordJson;
import dev.sessionhub.shared.scan.HostPort;
import dev.sessionhub.shared.scan.ScanTarget;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code GET /api/diagnose/{address}}: what this hub knows of one {@code host:port}, for {@code sessionhub doctor}:
 * whether it is in the scan targets and which hub owns (scans) its host, the last probe or poll outcome this hub
 * keeps for it, and its inventory record, even one past its lease. The owner hub has the outcome; the CLI asks
 * every hub. Needs the token (it names addresses and errors).
 */
public final class DiagnoseResource {

  private final InventoryView view;
  private final ScanOutcomes outcomes;
  private final HostOwners owners;
  private final List<ScanTarget> targets;
  private final String memberId;
  private final Clock clock;
  private final TlsSniffer plainHttpCheck;

  /**
   * @param plainHttpCheck when this hub calls agents over plain http, how to tell an https agent from a broken
   *     connection; null when it calls them over https
   */
  public DiagnoseResource(InventoryView view, ScanOutcomes outcomes, HostOwners owners, List<ScanTarget> targets,
      String memberId, Clock clock, TlsSniffer plainHttpCheck) {
    this.view = view;
    this.outcomes = outcomes;
    this.owners = owners;
    this.targets = List.copyOf(targets);
    this.memberId = memberId;
    this.clock = clock;
    this.plainHttpCheck = plainHttpCheck;
  }

  void handle(RoutingContext ctx) {
    String raw = ctx.pathParam("address");
    HostPort address;
    try {
      address = HostPort.parse(raw);
    } catch (TargetSyntaxException e) {
      ApiErrors.send(ctx, 400, "bad_request", "address must be HOST:PORT (IPv6 in brackets), got '" + raw + "'");
      return;
    }
    String key = address.toString();
    String host = HostOwners.hostKey(address.host());
    boolean targetHost = owners.isTargetHost(host);
    boolean targetPort = targets.stream().anyMatch(t -> t.ports().contains(address.port()));
    JsonObject json = new JsonObject().put("address", key).put("hub", memberId)
        .put("in_targets", targetHost && targetPort).put("host_in_targets", targetHost);
    Member owner = owners.ownerOf(host);
    if (owner != null) {
      json.put("owner", new JsonObject().put("member", HubIds.of(owner))
          .put("member_address", owner.getAddress().toString()).put("local", owner.localMember()));
    }
    ScanOutcomes.Outcome outcome = outcomes.of(key);
    if (outcome != null) {
      json.put("outcome", outcome.toJson());
    }
    if (plainHttpCheck != null && outcome != null && outcome.detail().contains(AgentCallException.CLOSED_UNANSWERED)) {
      plainHttpCheck.speaksTls(address).onComplete(tls -> {
        if (Boolean.TRUE.equals(tls.result())) {
          json.put("outcome", outcome.toJson().put("result", "protocol").put("detail", "the port completes a TLS "
              + "handshake: the session serves https and this hub calls agents over http"));
        }
        answer(ctx, key, json, owner);
      });
      return;
    }
    answer(ctx, key, json, owner);
  }

  private void answer(RoutingContext ctx, String key, JsonObject json, Member owner) {
    Instant now = clock.instant();
    for (SessionRecord r : view.all()) {
      if (r.address().equals(key)) {
        json.put("session", SessionRecordJson.toApi(r)).put("lease_expired", r.lastSeen().plus(r.lease())
            .isBefore(now)).put("lease_ms", r.lease().toMillis());
      }
    }
    Diagnosis.Report report = Diagnosis.explain(key, List.of(json), null);
    JsonArray explanation = new JsonArray();
    report.lines().forEach(explanation::add);
    if (!report.listed() && owner != null && !owner.localMember()) {
      explanation.add("note: another hub owns this host and keeps its probe outcomes; 'sessionhub doctor " + key
          + "' asks every hub");
    }
    JsonReplies.ok(ctx, json.put("listed", report.listed()).put("explanation", explanation));
  }
}
