package dev.sessionhub.hub.impl.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Route labels are templates: any address, job id or junk path maps to one of a fixed set of values. */
class RouteLabelsTest {

  @Test
  void pathsBecomeTheirTemplates() {
    assertEquals("/api/jobs/{id}", RouteLabels.of("/api/jobs/6f1c2a4e-0000-4000-8000-000000000000"));
    assertEquals("/api/jobs/{id}/events", RouteLabels.of("/api/jobs/abc/events"));
    assertEquals("/api/sessions/{address}", RouteLabels.of("/api/sessions/render07:8000"));
    assertEquals("/api/sessions/{address}/command", RouteLabels.of("/api/sessions/[::1]:8000/command"));
    assertEquals("/api/diagnose/{address}", RouteLabels.of("/api/diagnose/10.0.0.5:8001"));
    assertEquals("/assets/*", RouteLabels.of("/assets/app.js"));
    assertEquals("/metrics", RouteLabels.of("/metrics"));
    assertEquals("/RPC2", RouteLabels.of("/RPC2"));
  }

  @Test
  void anythingElseIsOther() {
    assertEquals("other", RouteLabels.of("/api/jobs/a/b/c"));
    assertEquals("other", RouteLabels.of("/../../etc/passwd"));
    assertEquals("other", RouteLabels.of("/wp-login.php"));
    assertEquals("other", RouteLabels.of(null));
    assertEquals("other", RouteLabels.method("BREW"));
    assertEquals("GET", RouteLabels.method("GET"));
  }
}
