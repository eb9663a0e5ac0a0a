package dev.sessionhub.hub.jobs;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * The part of a job that runs on the hub owning a set of sessions, sent there through Hazelcast's executor. It
 * travels as {@link IdentifiedDataSerializable} (strings and numbers, never Java serialization) and finds the
 * owner's {@link CommandRunner} in the member's user context. It blocks one executor thread of a bounded pool
 * while the calls run on the agent client's own bounded pool.
 */
public final class RunBatchTask implements Callable<Integer>, IdentifiedDataSerializable, HazelcastInstanceAware {

  public static final int FACTORY_ID = 7700;
  public static final int CLASS_ID = 1;
  public static final String EXECUTOR = "sessionhub.commands";
  private static final int MAX_TARGETS = 1_000_000;

  private String jobId;
  private String code;
  private long timeoutMs;
  private Map<String, String> targets;
  private Set<String> timeoutAware;
  private transient HazelcastInstance hazelcast;

  public RunBatchTask() {
  }

  /**
   * @param targets      address → agent URL
   * @param timeoutAware the addresses whose agents take the job's timeout as {@code command}'s second parameter
   *                     (SessionHub agents), so they stop the code themselves when it runs over
   */
  public RunBatchTask(String jobId, String code, long timeoutMs, Map<String, String> targets,
      Set<String> timeoutAware) {
    this.jobId = jobId;
    this.code = code;
    this.timeoutMs = timeoutMs;
    this.targets = new LinkedHashMap<>(targets);
    this.timeoutAware = new HashSet<>(timeoutAware);
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.hazelcast = instance;
  }

  @Override
  public Integer call() throws Exception {
    Object runner = hazelcast.getUserContext().get(CommandRunner.USER_CONTEXT_KEY);
    if (!(runner instanceof CommandRunner commands)) {
      throw new IllegalStateException("no hub runs on member " + hazelcast.getCluster().getLocalMember());
    }
    return commands.run(jobId, code, Duration.ofMillis(timeoutMs), targets, timeoutAware)
        .toCompletionStage().toCompletableFuture()
        .get(timeoutMs + 30_000, TimeUnit.MILLISECONDS);
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(jobId);
    out.writeString(code);
    out.writeLong(timeoutMs);
    out.writeInt(targets.size());
    for (Map.Entry<String, String> t : targets.entrySet()) {
      out.writeString(t.getKey());
      out.writeString(t.getValue());
      out.writeBoolean(timeoutAware.contains(t.getKey()));
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    jobId = in.readString();
    code = in.readString();
    timeoutMs = in.readLong();
    int n = in.readInt();
    if (n < 0 || n > MAX_TARGETS) {
      throw new IOException("batch of " + n + " targets refused");
    }
    targets = new LinkedHashMap<>();
    timeoutAware = new HashSet<>();
    for (int i = 0; i < n; i++) {
      String address = in.readString();
      targets.put(address, in.readString());
      if (in.readBoolean()) {
        timeoutAware.add(address);
      }
    }
  }

  @Override
  public int getFactoryId() {
    return FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return CLASS_ID;
  }
}
