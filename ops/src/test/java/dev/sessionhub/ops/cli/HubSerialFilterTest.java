package dev.sessionhub.ops.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.hazelcast.spi.exception.PartitionMigratingException;
import com.hazelcast.spi.exception.WrongTargetException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.HashMap;
import java.util.UUID;
import javax.management.BadAttributeValueExpException;
import org.junit.jupiter.api.Test;

/** The hub's deserialization filter reads Hazelcast's error responses and nothing else. */
class HubSerialFilterTest {

  @Test
  void readsTheExceptionsHazelcastMembersSendEachOther() throws Exception {
    WrongTargetException wrong = new WrongTargetException(null, null, 7, 0, "PutOperation", "hz:impl:mapService");
    wrong.addSuppressed(new IllegalStateException("suppressed"));
    Object back = roundTrip(wrong);
    assertEquals(WrongTargetException.class, back.getClass());
    assertEquals(1, ((Throwable) back).getSuppressed().length);

    RuntimeException wrapped = new RuntimeException("outer", new PartitionMigratingException("migrating"));
    assertEquals(PartitionMigratingException.class, ((Throwable) roundTrip(wrapped)).getCause().getClass());
    assertEquals(UUID.class, roundTrip(UUID.randomUUID()).getClass());
  }

  @Test
  void refusesEverythingElse() {
    HashMap<String, Object> map = new HashMap<>();
    map.put("k", "v");
    assertThrows(InvalidClassException.class, () -> roundTrip(map));
    java.util.ArrayList<Object> list = new java.util.ArrayList<>(java.util.List.of(map));
    assertThrows(InvalidClassException.class, () -> roundTrip(list), "a list's elements are filtered one by one");
    assertThrows(InvalidClassException.class, () -> roundTrip(new BadAttributeValueExpException("gadget entry")));
    // an allowed exception carrying a refused object is refused as a whole
    IllegalStateException carrier = new IllegalStateException("carrier", new BadAttributeValueExpException("x"));
    assertThrows(InvalidClassException.class, () -> roundTrip(carrier));
  }

  private static Object roundTrip(Object value) throws IOException, ClassNotFoundException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    }
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      in.setObjectInputFilter(new HubSerialFilter());
      return in.readObject();
    }
  }
}
