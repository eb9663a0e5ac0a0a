package dev.sessionhub.hub.impl.cluster;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The member allow-list: addresses and CIDR ranges Hazelcast members of this cluster may have. Open-source
 * Hazelcast cannot refuse a join by address, so a member outside the list is reported loudly when it appears and
 * never given work (jobs mark the sessions it owns as errors instead of sending it their code); work it sends is
 * refused by the batch signature ({@link ClusterSecrets}). An empty list trusts every member.
 */
public final class MemberTrust implements MembershipListener {

  private static final Logger LOG = LoggerFactory.getLogger(MemberTrust.class);

  private record Range(BigInteger base, int prefix, int bits) {
    boolean contains(InetAddress address) {
      byte[] raw = address.getAddress();
      if (raw.length * 8 != bits) {
        return false;
      }
      BigInteger value = new BigInteger(1, raw);
      int shift = bits - prefix;
      return value.shiftRight(shift).equals(base.shiftRight(shift));
    }
  }

  private final List<Range> ranges = new ArrayList<>();
  private final List<String> entries;

  /** @throws IllegalArgumentException naming the entry that is not an address or CIDR range */
  public MemberTrust(List<String> entries) {
    this.entries = List.copyOf(entries);
    for (String entry : entries) {
      ranges.add(parse(entry));
    }
  }

  private static Range parse(String entry) {
    String text = entry.trim();
    int slash = text.indexOf('/');
    String host = slash < 0 ? text : text.substring(0, slash);
    if (!host.matches("[0-9a-fA-F:.]+")) {
      throw new IllegalArgumentException("trusted member '" + entry + "' is not an IP address or CIDR range");
    }
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("trusted member '" + entry + "' is not an IP address or CIDR range");
    }
    int bits = address.getAddress().length * 8;
    int prefix = bits;
    if (slash >= 0) {
      try {
        prefix = Integer.parseInt(text.substring(slash + 1));
      } catch (NumberFormatException e) {
        prefix = -1;
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("trusted member '" + entry + "': prefix must be 0-" + bits);
      }
    }
    return new Range(new BigInteger(1, address.getAddress()), prefix, bits);
  }

  public boolean trusts(Member member) {
    if (ranges.isEmpty() || member.localMember()) {
      return true;
    }
    try {
      InetAddress address = member.getAddress().getInetAddress();
      return ranges.stream().anyMatch(r -> r.contains(address));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public void memberAdded(MembershipEvent event) {
    if (!trusts(event.getMember())) {
      LOG.error("UNTRUSTED Hazelcast member {} joined the cluster (trusted: {}); it gets no work and the work it "
          + "sends is refused. Check who runs it and firewall the Hazelcast port.", event.getMember().getAddress(),
          entries);
    }
  }

  @Override
  public void memberRemoved(MembershipEvent event) {
  }
}
