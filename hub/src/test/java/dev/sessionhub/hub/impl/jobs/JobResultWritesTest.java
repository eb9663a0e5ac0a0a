package dev.sessionhub.hub.impl.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastJsonValue;
import com.hazelcast.internal.serialization.SerializationService;
import com.hazelcast.spi.impl.SerializationServiceSupport;
import dev.sessionhub.agent.testing.FreePorts;
import dev.sessionhub.agent.testing.Poll;
import dev.sessionhub.hub.testing.MergingMembers;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How results reach the store, on two real members: first write wins per target whoever writes (a coordinator's
 * end at a deadline, an owner's batch), each writer learns the end that stands, a job's results share one
 * partition, and an owner's reply carries the ends to its coordinator within its size limit.
 */
class JobResultWritesTest {

  private final Vertx vertx = Vertx.vertx();
  private final List<HazelcastInstance> members = new ArrayList<>();
  private JobStore coordinator;
  private JobStore owner;

  @BeforeEach
  void start() {
    String cluster = "result-writes-" + UUID.randomUUID();
    int a = FreePorts.one();
    int b = FreePorts.one();
    members.add(Hazelcast.newHazelcastInstance(MergingMembers.config(cluster, a, a, b)));
    members.add(Hazelcast.newHazelcastInstance(MergingMembers.config(cluster, b, a, b)));
    Poll.until(Duration.ofSeconds(60), "two members", () -> members.get(0).getCluster().getMembers().size() == 2);
    coordinator = new JobStore(vertx, members.get(0), Clock.systemUTC(), Duration.ofMinutes(5));
    owner = new JobStore(vertx, members.get(1), Clock.systemUTC(), Duration.ofMinutes(5));
  }

  @AfterEach
  void stop() throws Exception {
    coordinator.close();
    owner.close();
    members.forEach(m -> m.getLifecycleService().terminate());
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  void aTargetsFirstEndStandsAndEveryWriterLearnsIt() throws Exception {
    String job = UUID.randomUUID().toString();
    TargetResult timedOut = TargetResult.failed(job, "10.0.0.1:8000", TargetState.TIMEOUT, -32002,
        "no result within the job's timeout", Instant.now(), 30_000, "coordinator");
    assertEquals(timedOut, coordinator.putResult(timedOut, true).await(30, TimeUnit.SECONDS),
        "the first end of a target is stored");

    List<Future<TargetResult>> batch = new ArrayList<>();
    for (int port = 8000; port < 8010; port++) {
      batch.add(owner.putResult(TargetResult.ok(job, "10.0.0.1:" + port, "ok\n", Instant.now(), 3, "owner"),
          port == 8009));
    }
    assertEquals(TargetState.TIMEOUT, batch.get(0).await(30, TimeUnit.SECONDS).state(),
        "an owner's later answer loses to the coordinator's end, and the owner learns which end stands");
    for (int i = 1; i < batch.size(); i++) {
      assertEquals(TargetState.OK, batch.get(i).await(30, TimeUnit.SECONDS).state(), "targets without an end");
    }
    TargetResult late = TargetResult.failed(job, "10.0.0.1:8005", TargetState.UNKNOWN, -32000, "hub failed",
        Instant.now(), 1, "coordinator");
    assertEquals(TargetState.OK, coordinator.putResult(late, true).await(30, TimeUnit.SECONDS).state(),
        "a coordinator's later end loses to the owner's");

    for (int port = 8000; port < 8010; port++) {
      HazelcastJsonValue stored = members.get(0).<String, HazelcastJsonValue>getMap(JobStore.RESULTS)
          .get(JobStore.resultKey(job, "10.0.0.1:" + port));
      assertEquals(port == 8000 ? "timeout" : "ok", new JsonObject(stored.getValue()).getString("state"),
          "stored once, as first written: " + port);
    }
  }

  @Test
  void aJobsResultsShareOnePartition() throws Exception {
    List<String> jobs = new ArrayList<>();
    List<Future<TargetResult>> writes = new ArrayList<>();
    for (int j = 0; j < 12; j++) {
      String job = UUID.randomUUID().toString();
      jobs.add(job);
      for (int port = 8000; port < 8040; port++) {
        writes.add(owner.putResult(TargetResult.ok(job, "10.0.0.2:" + port, "ok\n", Instant.now(), 1, "o"),
            port == 8039));
      }
    }
    Future.all(writes).await(60, TimeUnit.SECONDS);
    Set<String> onFirst = members.get(0).<String, HazelcastJsonValue>getMap(JobStore.RESULTS).localKeySet();
    Set<String> onSecond = members.get(1).<String, HazelcastJsonValue>getMap(JobStore.RESULTS).localKeySet();
    assertEquals(12 * 40, onFirst.size() + onSecond.size());
    int jobsOnFirst = 0;
    for (String job : jobs) {
      long here = onFirst.stream().filter(k -> k.startsWith(job + "|")).count();
      long there = onSecond.stream().filter(k -> k.startsWith(job + "|")).count();
      assertTrue(here == 0 || there == 0, "job " + job + " has " + here + " results on one member, " + there
          + " on the other: one partition holds them all");
      jobsOnFirst += here > 0 ? 1 : 0;
    }
    assertTrue(jobsOnFirst > 0 && jobsOnFirst < jobs.size(),
        "jobs are spread over the members (" + jobsOnFirst + " of 12 on the first)");
  }

  @Test
  void aBatchReplyCarriesTheEndsWithinItsLimit() {
    String job = UUID.randomUUID().toString();
    String big = "x".repeat(1024 * 1024);
    List<TargetResult> ends = new ArrayList<>();
    for (int port = 8000; port < 8006; port++) {
      ends.add(TargetResult.ok(job, "10.0.0.3:" + port, big, Instant.now(), 5, "owner"));
    }
    SerializationService serialization = ((SerializationServiceSupport) members.get(0)).getSerializationService();
    BatchReply reply = serialization.toObject(serialization.toData(BatchReply.of(ends)));
    assertEquals(3, reply.size(), "three 1 MiB outputs fit in a 4 MiB reply, the fourth does not");
    assertEquals(ends.subList(0, 3), reply.results(), "the ends as written, in order");
  }
}
