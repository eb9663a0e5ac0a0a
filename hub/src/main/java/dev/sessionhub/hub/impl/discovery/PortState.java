package dev.sessionhub.hub.impl.discovery;

/** What a probe learned about a port. */
public enum PortState {
  /** Something accepted the connection. */
  OPEN,
  /** The host refused it: the host is up, nothing listens there. */
  CLOSED,
  /** No answer within the probe's timeout, or no route: the host is down, gone or filtering. */
  SILENT
}
