package dev.sessionhub.shared.scan;

/**
 * The hosts of a scan target, expanded lazily: iterating a {@code /16} or {@code render[001-999]} computes each
 * host name as it goes instead of building a list.
 *
 * <p>Implementations are immutable values (equal when their canonical text is) whose {@link #toString()} is
 * the canonical host part of a target, e.g. {@code render[001-120].farm}, {@code 10.1.2.0/28},
 * {@code 10.1.2.5-20} or {@code [::1]}, which {@link TargetParser} reads back to an equal set.
 */
public interface HostSet extends Iterable<String> {

  /** The number of hosts. */
  long size();

  /** The canonical host part of a target. */
  @Override
  String toString();
}
