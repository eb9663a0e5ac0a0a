package dev.sessionhub.hub.impl.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.HazelcastException;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.exception.PartitionMigratingException;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.hub.HubOptions;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exceptions cross between members through {@link ThrowableSerializer}, never Java serialization (which the
 * hub's JVM refuses): the class survives, so Hazelcast's retry logic still sees a migrating partition as one.
 */
class ThrowableSerializerTest {

  private static HazelcastInstance member;
  private static SerializationService serialization;

  @BeforeAll
  static void start() {
    member = HazelcastSetup.start(new HubOptions().setClusterName("throwables-" + UUID.randomUUID())
        .setHazelcastPort(FreePorts.one()));
    serialization = ((SerializationServiceSupport) member).getSerializationService();
  }

  @AfterAll
  static void stop() {
    member.shutdown();
  }

  @Test
  void aRetryableHazelcastExceptionKeepsItsClassMessageAndStack() {
    PartitionMigratingException sent = new PartitionMigratingException("partition 7 is migrating");
    Throwable got = serialization.toObject(serialization.toData(sent));
    assertInstanceOf(PartitionMigratingException.class, got);
    assertEquals("partition 7 is migrating", got.getMessage());
    assertEquals(sent.getStackTrace()[0].toString(), got.getStackTrace()[0].toString());
  }

  @Test
  void causesTravelToo() {
    IllegalStateException sent = new IllegalStateException("outer", new java.io.IOException("inner"));
    Throwable got = serialization.toObject(serialization.toData(sent));
    assertInstanceOf(IllegalStateException.class, got);
    assertInstanceOf(java.io.IOException.class, got.getCause());
    assertEquals("inner", got.getCause().getMessage());
  }

  @Test
  void aClassThatCannotBeRecreatedArrivesAsAHazelcastExceptionNamingIt() {
    Throwable got = serialization.toObject(serialization.toData(new NoStringConstructor()));
    assertInstanceOf(HazelcastException.class, got);
    assertTrue(got.getMessage().startsWith(NoStringConstructor.class.getName()), got.getMessage());
  }

  static final class NoStringConstructor extends RuntimeException {
    NoStringConstructor() {
      super("no (String) constructor");
    }
  }
}
