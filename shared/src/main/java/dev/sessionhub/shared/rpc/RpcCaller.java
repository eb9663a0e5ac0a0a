package dev.sessionhub.shared.rpc;

/**
 * Who made a call, as the transport saw it: the peer's address and whether it presented the configured token
 * ({@code authenticated} is also true when no token is configured, since then everyone is let in). Handlers that
 * act on behalf of the caller (run code, start jobs) record it; nothing here is trusted for authorization, which
 * the transport has already done.
 */
public record RpcCaller(String address, boolean authenticated, boolean tokenRequired) {

  /** A call made inside the process (tests, in-JVM clients): no peer. */
  public static final RpcCaller LOCAL = new RpcCaller("local", true, false);

  /** "10.0.0.5 (token)", "10.0.0.5 (no token)" or "10.0.0.5 (open: no token configured)". */
  public String describe() {
    if (!tokenRequired) {
      return address + " (open: no token configured)";
    }
    return address + (authenticated ? " (token)" : " (no token)");
  }
}
