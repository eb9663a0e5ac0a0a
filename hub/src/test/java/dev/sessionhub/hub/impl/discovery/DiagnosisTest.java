package dev.sessionhub.hub.impl.discovery;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The causes doctor names for answers that need a farm to provoke (a lapsed lease, stopped heartbeats, a silent
 * host, TLS failures, an XML-RPC server that is not a session), from hub answers as {@code /api/diagnose} gives
 * them. The listeners themselves are covered for real by DoctorProgramIT.
 */
class DiagnosisTest {

  private static final String AT = "2026-12-04T19:00:00Z";

  private static JsonObject answer(boolean inTargets, JsonObject outcome, JsonObject session, boolean expired) {
    JsonObject a = new JsonObject().put("address", "render07:8000").put("in_targets", inTargets)
        .put("host_in_targets", inTargets)
        .put("owner", new JsonObject().put("member", "m1").put("member_address", "10.0.0.5:5701"));
    if (outcome != null) {
      a.put("outcome", outcome);
    }
    if (session != null) {
      a.put("session", session).put("lease_expired", expired);
    }
    return a;
  }

  private static JsonObject outcome(String stage, String result, String detail) {
    return new JsonObject().put("stage", stage).put("result", result).put("detail", detail).put("at", AT);
  }

  private static String explain(JsonObject answer) {
    Diagnosis.Report r = Diagnosis.explain("render07:8000", List.of(answer), null);
    assertFalse(r.listed());
    assertTrue(r.lines().get(0).startsWith("listed: no"), r.lines().toString());
    return String.join("\n", r.lines());
  }

  @Test
  void stoppedHeartbeatsOfAnAnnouncedSession() {
    JsonObject session = new JsonObject().put("app", "maya").put("source", "announce").put("last_seen", AT);
    String text = explain(answer(false, null, session, true));
    assertTrue(text.contains("announced itself, but its heartbeats stopped"), text);
    assertTrue(text.contains("Fix: check the session still runs and can reach the hub URL"), text);
  }

  @Test
  void anExpiredLeaseOfAScannedSessionWithItsLastOutcome() {
    JsonObject session = new JsonObject().put("app", "maya").put("source", "scan").put("last_seen", AT);
    String text = explain(answer(true, outcome("probe", "silent", ""), session, true));
    assertTrue(text.contains("its lease expired"), text);
    assertTrue(text.contains("the host does not answer at all"), text);
  }

  @Test
  void aConnectionThatEndedBeforeServerDataAnswered() {
    String text = explain(answer(true, outcome("poll", "no_answer", "connection to render07:8000 failed: the agent "
        + "closed the connection without answering"), null, false));
    assertTrue(text.contains("closed or was reset before server_data() answered"), text);
    assertTrue(text.contains("Fix: check the session still runs"), text);
  }

  @Test
  void tlsOnOneSideOnlyAndAnUntrustedCertificate() {
    assertTrue(explain(answer(true, outcome("poll", "unreachable", "TLS handshake with render07:8000 failed: "
        + "PKIX path building failed (certificate)"), null, false)).contains("--agent-ca FILE"));
    assertTrue(explain(answer(true, outcome("poll", "protocol", "bad response from https://render07:8000/: "
        + "SSL plaintext"), null, false)).contains("TLS on one side only"));
  }

  @Test
  void anXmlRpcServerThatIsNotASession() {
    String text = explain(answer(true, outcome("poll", "not_a_session", "server_data() has no 'exe'"), null, false));
    assertTrue(text.contains("an XML-RPC server answers, but server_data() is not a session"), text);
  }

  @Test
  void aListedSessionSaysSo() {
    JsonObject session = new JsonObject().put("app", "blender").put("pid", 42).put("source", "scan")
        .put("last_seen", AT);
    Diagnosis.Report r = Diagnosis.explain("render07:8000", List.of(answer(true, null, session, false)), null);
    assertTrue(r.listed());
    assertTrue(r.lines().get(0).startsWith("listed: yes: blender (pid 42"), r.lines().toString());
  }
}
