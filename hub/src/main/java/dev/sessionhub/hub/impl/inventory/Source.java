package dev.sessionhub.hub.impl.inventory;

/** How the hub learned of a session: its own scan, or the agent announcing itself. */
public enum Source {
  SCAN, ANNOUNCE;

  public String wire() {
    return name().toLowerCase();
  }

  public static Source fromWire(String s) {
    return "announce".equalsIgnoreCase(s) ? ANNOUNCE : SCAN;
  }
}
