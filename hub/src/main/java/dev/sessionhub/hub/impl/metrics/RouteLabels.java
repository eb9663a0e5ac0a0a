package dev.sessionhub.hub.impl.metrics;

import java.util.regex.Pattern;

/**
 * The route label of a hub request: the template of the route it is for ({@code /api/jobs/{id}}), never its raw
 * path, so the label has a fixed, small set of values whatever clients send; anything else is {@code other}.
 */
public final class RouteLabels {

  private static final Pattern SESSION = Pattern.compile("/api/sessions/[^/]+");
  private static final Pattern SESSION_COMMAND = Pattern.compile("/api/sessions/[^/]+/command");
  private static final Pattern DIAGNOSE = Pattern.compile("/api/diagnose/[^/]+");
  private static final Pattern JOB = Pattern.compile("/api/jobs/[^/]+");
  private static final Pattern JOB_EVENTS = Pattern.compile("/api/jobs/[^/]+/events");

  private RouteLabels() {
  }

  public static String of(String path) {
    if (path == null) {
      return "other";
    }
    switch (path) {
      case "/", "/RPC2", "/api/sessions", "/api/cluster", "/api/events", "/api/broadcast", "/api/jobs", "/metrics",
          "/health/live", "/health/ready" -> {
        return path;
      }
      default -> {
        // fall through to the templates
      }
    }
    if (path.startsWith("/assets/")) {
      return "/assets/*";
    }
    if (SESSION_COMMAND.matcher(path).matches()) {
      return "/api/sessions/{address}/command";
    }
    if (SESSION.matcher(path).matches()) {
      return "/api/sessions/{address}";
    }
    if (DIAGNOSE.matcher(path).matches()) {
      return "/api/diagnose/{address}";
    }
    if (JOB_EVENTS.matcher(path).matches()) {
      return "/api/jobs/{id}/events";
    }
    if (JOB.matcher(path).matches()) {
      return "/api/jobs/{id}";
    }
    return "other";
  }

  /** The method label: the common HTTP methods, else {@code other}. */
  public static String method(String method) {
    return switch (method) {
      case "GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS" -> method;
      default -> "other";
    };
  }
}
