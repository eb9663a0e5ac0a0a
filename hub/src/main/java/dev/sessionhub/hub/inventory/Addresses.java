package dev.sessionhub.hub.inventory;

/** The parts of an inventory address {@code host:port} (IPv6 hosts in brackets). */
public final class Addresses {

  private Addresses() {
  }

  /** {@code render01:8000} → {@code render01}; {@code [::1]:8000} → {@code [::1]}. */
  public static String hostOf(String address) {
    int colon = address.lastIndexOf(':');
    return colon <= 0 ? address : address.substring(0, colon);
  }
}
