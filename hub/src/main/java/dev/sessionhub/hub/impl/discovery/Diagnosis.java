package dev.sessionhub.hub.impl.discovery;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Why a session is or is not listed, from what the hubs answered ({@code GET /api/diagnose/{address}}, one
 * answer per hub) and whether the host name resolves here. Each line says what was found and, for a problem,
 * the fix. Pure: no I/O, so every cause can be read in one place. Used by {@code sessionhub doctor} (with every
 * hub's answer) and by the hub's own {@code GET /api/diagnose/{address}} (its own answer, for the dashboard).
 */
public final class Diagnosis {

  /** The lines to print, and whether the session is listed now. */
  public record Report(boolean listed, List<String> lines) {
  }

  private Diagnosis() {
  }

  /**
   * @param address {@code host:port} as the hubs key it
   * @param answers each hub's answer, the owner of the host first when known
   * @param dnsProblem null when the host resolves (or is an IP literal), else why not
   */
  public static Report explain(String address, List<JsonObject> answers, String dnsProblem) {
    List<String> lines = new ArrayList<>();
    JsonObject any = answers.get(0);
    JsonObject session = null;
    boolean expired = false;
    for (JsonObject a : answers) {
      if (a.getJsonObject("session") != null) {
        session = a.getJsonObject("session");
        expired = a.getBoolean("lease_expired", false);
        if (!expired) {
          break;
        }
      }
    }
    if (session != null && !expired) {
      lines.add("listed: yes: " + session.getString("app") + " (pid " + session.getValue("pid") + ", "
          + session.getString("source") + ", last seen " + session.getString("last_seen") + ")");
      return new Report(true, lines);
    }
    lines.add("listed: no: " + address + " is not in the inventory");
    if (dnsProblem != null) {
      lines.add("cause: " + dnsProblem + ". Fix: correct DNS or /etc/hosts on the hubs (they resolve it too), "
          + "or scan the host by its IP address.");
    }
    if (session != null) {
      boolean announced = "announce".equals(session.getString("source"));
      lines.add(announced
          ? "cause: the session announced itself, but its heartbeats stopped (last seen " + session.getString(
              "last_seen") + "). Fix: check the session still runs and can reach the hub URL it was given (--hub)."
          : "cause: its lease expired: no hub has reached it since " + session.getString("last_seen")
              + " (see the last outcome below). Fix: check the session still runs and answers on this port.");
    }
    boolean inTargets = any.getBoolean("in_targets", false);
    JsonObject owner = any.getJsonObject("owner");
    if (!inTargets) {
      lines.add("targets: " + address + " is not in any hub's scan targets"
          + (any.getBoolean("host_in_targets", false) ? " (its host is, this port is not)" : "")
          + ". Fix: add it to every hub's --scan (e.g. --scan " + address + "), or start the session with "
          + "--hub URL so it announces itself.");
    } else if (owner != null) {
      lines.add("targets: yes; its host is scanned by hub " + owner.getString("member") + " ("
          + owner.getString("member_address") + ")");
    }
    JsonObject outcome = null;
    for (JsonObject a : answers) {
      JsonObject o = a.getJsonObject("outcome");
      if (o != null && (outcome == null || o.getString("at").compareTo(outcome.getString("at")) > 0)) {
        outcome = o;
      }
    }
    if (outcome == null) {
      if (inTargets && session == null && dnsProblem == null) {
        lines.add("cause: no probe of it is recorded yet. Fix: wait one scan interval (the owning hub's first "
            + "cycle may not have reached it) and ask again.");
      } else if (!inTargets && session == null) {
        lines.add("cause: the hubs never look there and nothing announced itself from there.");
      }
      return new Report(false, lines);
    }
    lines.add("last outcome: " + outcome.getString("stage") + " " + outcome.getString("result")
        + (outcome.getString("detail", "").isEmpty() ? "" : " (" + outcome.getString("detail") + ")") + " at "
        + outcome.getString("at"));
    lines.add("cause: " + cause(outcome));
    return new Report(false, lines);
  }

  /** What a probe or poll outcome means and its fix. */
  public static String cause(JsonObject outcome) {
    String result = outcome.getString("result");
    String detail = outcome.getString("detail", "");
    switch (result) {
      case "closed":
        return "nothing listens on that port (connection refused: the host is up). Fix: start the session, or "
            + "scan the port range it really binds (its --base-port/--max-port).";
      case "silent":
        return "the host does not answer at all (down, unreachable, or a firewall drops the connection). Fix: "
            + "check the host is up and let the hub machines reach this port.";
      case "open":
        return "the port is open and server_data() has not answered yet. Fix: wait one scan interval and ask "
            + "again.";
      case "session":
        return "the owning hub found a session here on its last poll; it should be listed within a moment. Fix: "
            + "ask again; if it stays unlisted, the inventory write failed (see the hub's log).";
      case "not_a_session":
        return "an XML-RPC server answers, but server_data() is not a session (" + detail + "). Fix: this port "
            + "belongs to another program: leave it out of --scan, or move the session to another port.";
      case "timeout":
        return "something accepts connections but server_data() got no answer in time. Fix: if it is a session, "
            + "it is frozen or busy (its main thread?); otherwise leave the port out of --scan.";
      case "overloaded":
        return "the hub's agent-call pool was full during the scan. Fix: raise --agent-calls on the hubs, or "
            + "lengthen --scan-interval.";
      case "heartbeats_stopped":
        return "the session announced itself, but its heartbeats stopped and its lease ran out (" + detail
            + "). Fix: check the session still runs and can reach the hub URL it was given (--hub); or add its "
            + "address to the hubs' --scan.";
      case "fault":
        return "server_data() answered a fault (" + detail + "). Fix: see the session's log.";
      case "unreachable":
        if (detail.contains("TLS") || detail.contains("certificate") || detail.contains("SSL")) {
          return "TLS failed: " + detail + ". Fix: both sides must agree: an https agent needs hubs started with "
              + "--agent-tls and --agent-ca FILE holding the CA that signed its certificate, which must name "
              + "the host the hubs use.";
        }
        return "the connection failed after the port was seen open (" + detail + "). Fix: check the host's "
            + "network and that the session is still running.";
      case "no_answer":
        return "the connection closed or was reset before server_data() answered (" + detail + "). Fix: check "
            + "the session still runs (it may have died or restarted); if the port belongs to another program, leave "
            + "it out of --scan.";
      case "protocol":
        if (detail.startsWith("HTTP 401")) {
          return "the session requires a token, and the hubs' token is missing or different. Fix: give the "
              + "hubs and the session the same token (--token-file).";
        }
        if (detail.startsWith("HTTP ")) {
          return "an HTTP server that is not a SessionHub agent answers there (" + detail.split(" from ")[0]
              + "). Fix: leave the port out of --scan, or move the session to another port.";
        }
        if (detail.contains("TLS") || detail.contains("SSL") || detail.contains("https")) {
          return "TLS on one side only (" + detail + "). Fix: start the hubs with --agent-tls for https "
              + "agents, or the agent without --tls-cert.";
        }
        return "something listens but does not speak HTTP and XML-RPC (" + detail + "). Fix: this port belongs "
            + "to another program: leave it out of --scan, or move the session to another port.";
      default:
        return result + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
  }
}
