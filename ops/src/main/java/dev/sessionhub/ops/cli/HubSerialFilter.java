package dev.sessionhub.ops.cli;

import java.io.ObjectInputFilter;
import java.util.Set;

/**
 * The hub's JVM-wide Java deserialization filter: exceptions only. Hazelcast members send the exception of an
 * error response with Java serialization ({@code WrongTargetException} and {@code PartitionMigratingException}
 * while partitions migrate, {@code CallerNotMemberException} while a member joins). With every class refused
 * ({@code jdk.serialFilter=!*}, what the launcher gives its other programs) the receiving member cannot read such a
 * response and the operation never completes: on the netns farm a hub started alongside another hung in its start
 * and never served. This filter admits what those responses hold, {@link Throwable}s from {@code java.*} and
 * {@code com.hazelcast.*} with their stack traces and suppressed-exception lists, within small depth, reference
 * and size limits, and refuses everything else: gadget classes, collections of arbitrary objects, and exceptions
 * from any other package (the classic {@code javax.management.BadAttributeValueExpException} entry point
 * included). The agent client never deserializes a fault's cause in the first place (CVE-2019-17570); this stays
 * the second wall.
 */
final class HubSerialFilter implements ObjectInputFilter {

  static final long MAX_DEPTH = 20;
  static final long MAX_REFERENCES = 10_000;
  static final long MAX_BYTES = 1 << 20;

  private static final Set<String> PARTS = Set.of("java.lang.String", "java.lang.StackTraceElement",
      "java.util.ArrayList", "java.util.Collections$EmptyList", "java.util.Collections$UnmodifiableCollection",
      "java.util.Collections$UnmodifiableList", "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.UUID");

  @Override
  public Status checkInput(FilterInfo info) {
    if (info.depth() > MAX_DEPTH || info.references() > MAX_REFERENCES || info.streamBytes() > MAX_BYTES) {
      return Status.REJECTED;
    }
    Class<?> type = info.serialClass();
    if (type == null) {
      return Status.UNDECIDED;  // a limits-only check, done above
    }
    boolean array = type.isArray();
    while (type.isArray()) {
      type = type.getComponentType();
    }
    String name = type.getName();
    if (type.isPrimitive() || PARTS.contains(name)) {
      return Status.ALLOWED;
    }
    if (array && type == Object.class) {
      return Status.ALLOWED;  // ArrayList's own array check; every element is still filtered on its own
    }
    if (Throwable.class.isAssignableFrom(type) && (name.startsWith("java.") || name.startsWith("com.hazelcast."))) {
      return Status.ALLOWED;
    }
    return Status.REJECTED;
  }

  /** Sets this filter for the whole JVM; false if one was set already (e.g. {@code -Djdk.serialFilter}). */
  static boolean install() {
    try {
      ObjectInputFilter.Config.setSerialFilter(new HubSerialFilter());
      return true;
    } catch (IllegalStateException alreadySet) {
      return false;
    }
  }
}
